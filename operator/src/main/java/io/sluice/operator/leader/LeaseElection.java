package io.sluice.operator.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects one operator replica with a coordination.k8s.io Lease and exposes its <em>epoch</em>: the Lease's
 * {@code leaseTransitions} read right after this replica acquired it. The epoch becomes
 * {@code SnapshotVersion.epoch}, so every snapshot of a later leader is newer than anything a deposed leader can
 * still push.
 *
 * <p>The identity must be unique per process start (pod name plus a random suffix): fabric8 only counts a
 * transition when the holder identity changes, and a restarted replica must not reuse its old epoch.
 */
public final class LeaseElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseElection.class);
    private static final long NOT_LEADER = -1;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final LeaseTimings timings;
    private final LongConsumer onLeading;
    private final Runnable onStopped;
    private final AtomicLong epoch = new AtomicLong(NOT_LEADER);
    private CompletableFuture<?> running;

    /**
     * @param onLeading called with the epoch when this replica becomes leader (on an elector thread)
     * @param onStopped called when it stops leading (lost the Lease or closed): stop publishing snapshots
     */
    public LeaseElection(KubernetesClient client, String namespace, String name, String identity,
            LeaseTimings timings, LongConsumer onLeading, Runnable onStopped) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.onLeading = Objects.requireNonNull(onLeading, "onLeading");
        this.onStopped = Objects.requireNonNull(onStopped, "onStopped");
    }

    /** Starts competing for the Lease in the background. */
    public synchronized void start() {
        if (running != null) {
            throw new IllegalStateException("already started");
        }
        running = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                        .withName(name)
                        .withLock(new LeaseLock(namespace, name, identity))
                        .withLeaseDuration(timings.leaseDuration())
                        .withRenewDeadline(timings.renewDeadline())
                        .withRetryPeriod(timings.retryPeriod())
                        .withReleaseOnCancel(timings.releaseOnClose())
                        .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading,
                                leader -> LOG.info("leader is now {}", leader)))
                        .build())
                .build().start();
    }

    /** The epoch while this replica leads. */
    public OptionalLong epoch() {
        long current = epoch.get();
        return current == NOT_LEADER ? OptionalLong.empty() : OptionalLong.of(current);
    }

    public String identity() {
        return identity;
    }

    private void startedLeading() {
        Lease lease = client.leases().inNamespace(namespace).withName(name).get();
        if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
            LOG.warn("became leader but Lease {}/{} is not held by {}; waiting", namespace, name, identity);
            return;
        }
        Integer transitions = lease.getSpec().getLeaseTransitions();
        long acquired = transitions == null ? 0 : transitions;
        epoch.set(acquired);
        LOG.info("{} leads with epoch {}", identity, acquired);
        onLeading.accept(acquired);
    }

    private void stoppedLeading() {
        if (epoch.getAndSet(NOT_LEADER) != NOT_LEADER) {
            LOG.warn("{} stopped leading", identity);
        }
        onStopped.run();
    }

    /** Stops competing; releases the Lease if {@link LeaseTimings#releaseOnClose()}. */
    @Override
    public synchronized void close() {
        if (running != null) {
            running.cancel(true);
        }
    }

    /** How long a Lease lasts, how soon the leader must renew it, and how often candidates retry. */
    public record LeaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
            boolean releaseOnClose) {
        public static final LeaseTimings DEFAULT =
                new LeaseTimings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), true);

        public LeaseTimings {
            Objects.requireNonNull(leaseDuration, "leaseDuration");
            Objects.requireNonNull(renewDeadline, "renewDeadline");
            Objects.requireNonNull(retryPeriod, "retryPeriod");
            if (leaseDuration.compareTo(renewDeadline) <= 0 || renewDeadline.compareTo(retryPeriod) <= 0) {
                throw new IllegalArgumentException("need leaseDuration > renewDeadline > retryPeriod");
            }
        }
    }
}
