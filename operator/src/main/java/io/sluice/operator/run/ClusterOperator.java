package io.sluice.operator.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.operator.leader.LeaseElection;
import io.sluice.operator.push.BearerTokenFile;
import io.sluice.operator.push.ProxyPushClient;
import io.sluice.operator.push.PushSettings;
import io.sluice.operator.push.PushTrust;
import io.sluice.operator.translate.TranslationOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running cluster-mode operator: informer caches and the health port always; while this replica leads (or
 * always, with {@code --no-leader-election}), a {@link LeaderSession} that pushes snapshots and writes status.
 *
 * <p>Losing the Lease, or seeing a proxy hold a snapshot of a later epoch, ends the operator ({@link #await}
 * returns {@link Ending#LOST_LEADERSHIP}): the process exits and its restart competes again with a fresh identity,
 * which is simpler and safer than re-arming half-stopped components.
 */
public final class ClusterOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterOperator.class);

    /** Why {@link #await} returned. */
    public enum Ending { STOPPED, LOST_LEADERSHIP }

    private final KubernetesClient client;
    private final ClusterFlags flags;
    private final String identity;
    private final Clock clock;
    private final PrometheusMeterRegistry registry;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Ending ending = Ending.STOPPED;
    private volatile boolean closing;
    private volatile LeaderSession session;
    private ClusterCache cache;
    private HealthEndpoints health;
    private LeaseElection election;

    public ClusterOperator(KubernetesClient client, ClusterFlags flags, String identity,
            PrometheusMeterRegistry registry, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.flags = Objects.requireNonNull(flags, "flags");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts the health port and caches, then competes for (or, without election, takes) leadership. */
    public synchronized void start() throws IOException, GeneralSecurityException {
        ProxyPushClient pushClient = pushClient();
        cache = new ClusterCache(client, flags.watchNamespaces(), this::changed, registry);
        health = HealthEndpoints.start(new InetSocketAddress(flags.healthPort()), registry, cache::synced);
        cache.start();
        RunSettings settings = settings();
        if (!flags.leaderElection()) {
            // no Lease: seconds since 1970 as the epoch, so a restarted operator's snapshots are newer
            lead(clock.instant().getEpochSecond(), settings, pushClient);
            return;
        }
        election = new LeaseElection(client, leaseNamespace(), flags.leaseName(), identity,
                LeaseElection.LeaseTimings.DEFAULT, epoch -> lead(epoch, settings, pushClient),
                () -> end(Ending.LOST_LEADERSHIP));
        election.start();
    }

    /** The health port actually bound (useful with port 0). */
    public synchronized int healthPort() {
        return health.port();
    }

    /** Blocks until {@link #close} or the loss of leadership. */
    public Ending await() throws InterruptedException {
        ended.await();
        return ending;
    }

    /** Blocks at most {@code timeout}; true when the operator has ended. */
    public boolean await(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        closing = true;
        stopSession();
        if (election != null) {
            election.close();
        }
        if (cache != null) {
            cache.close();
        }
        if (health != null) {
            health.close();
        }
        ended.countDown();
    }

    private void lead(long epoch, RunSettings settings, ProxyPushClient pushClient) {
        LOG.info("{} publishes snapshots with epoch {}", identity, epoch);
        session = LeaderSession.start(client, cache, epoch, settings, pushClient, registry, clock,
                () -> end(Ending.LOST_LEADERSHIP));
    }

    /** A change in the cluster: only the leader's session rebuilds; followers just keep their caches warm. */
    private void changed() {
        LeaderSession current = session;
        if (current != null) {
            current.changed();
        }
    }

    private void end(Ending why) {
        if (!closing && ended.getCount() > 0) {
            LOG.warn("{}: stopping ({})", identity, why);
            ending = why;
            stopSession();
            ended.countDown();
        }
    }

    private void stopSession() {
        LeaderSession current = session;
        session = null;
        if (current != null) {
            current.close();
        }
    }

    private RunSettings settings() {
        IngressAddresses addresses = flags.publishService() != null
                ? IngressAddresses.ofService(client, flags.publishService())
                : flags.publishAddresses().isEmpty() ? IngressAddresses.none()
                : IngressAddresses.fixed(flags.publishAddresses());
        TranslationOptions options = new TranslationOptions(flags.ingressClass(),
                TranslationOptions.DEFAULTS.controllerName(), flags.allowCrossNamespace(), List.of(),
                flags.defaultCertificate(), client.getNamespace());
        return new RunSettings(flags.proxyAdminService(), options, RunSettings.QUIET_PERIOD, RunSettings.MAX_DELAY,
                RunSettings.STATUS_REFRESH, PushSettings.DEFAULT, addresses);
    }

    private ProxyPushClient pushClient() throws IOException, GeneralSecurityException {
        BearerTokenFile token = new BearerTokenFile(flags.pushTokenFile());
        Duration connect = Duration.ofSeconds(2);
        Duration request = Duration.ofSeconds(10);
        return flags.pushCaFile() == null ? ProxyPushClient.plain(token, connect, request)
                : ProxyPushClient.tls(token, connect, request, PushTrust.fromCaFile(flags.pushCaFile()));
    }

    private String leaseNamespace() {
        if (flags.leaderElectionNamespace() != null) {
            return flags.leaderElectionNamespace();
        }
        String namespace = client.getNamespace();
        return namespace == null ? "default" : namespace;
    }
}
