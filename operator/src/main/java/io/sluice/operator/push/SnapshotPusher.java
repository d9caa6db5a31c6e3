package io.sluice.operator.push;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the latest routing snapshot to every proxy pod and keeps delivering it: to proxies that join, to
 * proxies that restart, and again after failures.
 *
 * <p>Latest wins: only the newest published snapshot is ever sent, at most one request is in flight per proxy,
 * and a burst of publications while a push is in flight results in one more push, of the last one. A failing proxy
 * is retried with capped, jittered exponential backoff; other proxies are not held up by it. A snapshot a proxy
 * rejected (422) is not sent to it again; the next snapshot is. Before the first push to a proxy, after any
 * failure and every {@link PushSettings#verifyInterval()}, the pusher reads the proxy's version first, so a
 * proxy that already holds the snapshot is not sent it again and one that restarted empty is noticed.
 *
 * <p>All state lives on one thread ({@code sluice-push}); HTTP runs asynchronously and reports back to it.
 * Outcomes go to {@link FleetStatus}; push latency to {@code sluice_push_duration_seconds{result}} and, per
 * proxy, {@link ProxyPushMeters}.
 */
public final class SnapshotPusher implements ProxyDirectoryListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPusher.class);
    private static final List<String> RESULTS = List.of("applied", "rejected", "stale", "error");

    private final ProxyPushClient client;
    private final SnapshotCodec codec;
    private final FleetStatus fleet;
    private final PushSettings settings;
    private final Map<String, Timer> pushTimers = new HashMap<>();
    private final ProxyPushMeters proxyMeters;
    private final ScheduledExecutorService thread;
    private final SplittableRandom random = new SplittableRandom();
    private final Map<ProxyAddress, Link> links = new HashMap<>();
    private PreparedSnapshot latest;

    public SnapshotPusher(ProxyPushClient client, SnapshotCodec codec, FleetStatus fleet, MeterRegistry registry,
            PushSettings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.settings = Objects.requireNonNull(settings, "settings");
        for (String result : RESULTS) {
            pushTimers.put(result, Timer.builder("sluice.push.duration")
                    .description("Duration of one snapshot push to one proxy, by result")
                    .tag("result", result).register(registry));
        }
        this.proxyMeters = new ProxyPushMeters(registry);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-push");
            t.setDaemon(true);
            return t;
        });
        long verifyMillis = settings.verifyInterval().toMillis();
        thread.scheduleWithFixedDelay(this::verifyInSyncProxies, verifyMillis, verifyMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Makes {@code snapshot} the one to deliver. {@code createdAt} is when the change that caused it was seen
     * (the start of {@code sluice_propagation_seconds}). A snapshot not newer than the current one is ignored.
     */
    public void publish(RoutingSnapshot snapshot, Instant createdAt) {
        PreparedSnapshot prepared = new PreparedSnapshot(snapshot, codec.encode(snapshot), createdAt);
        thread.execute(() -> {
            if (latest != null && !prepared.version().isNewerThan(latest.version())) {
                LOG.warn("ignoring snapshot {}: not newer than {}", prepared.version(), latest.version());
                return;
            }
            latest = prepared;
            fleet.targetChanged(prepared);
            LOG.info("publishing snapshot {} to {} proxies", prepared.version(), links.size());
            links.values().forEach(this::sync);
        });
    }

    @Override
    public void proxyAdded(ProxyAddress proxy) {
        thread.execute(() -> {
            if (links.containsKey(proxy)) {
                return;
            }
            Link link = new Link(proxy);
            links.put(proxy, link);
            fleet.proxyJoined(proxy);
            sync(link);
        });
    }

    @Override
    public void proxyRemoved(ProxyAddress proxy) {
        thread.execute(() -> {
            Link link = links.remove(proxy);
            if (link != null) {
                link.removed = true;
                if (link.retry != null) {
                    link.retry.cancel(false);
                }
                fleet.proxyLeft(proxy);
            }
            proxyMeters.forget(proxy);
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private void verifyInSyncProxies() {
        for (Link link : links.values()) {
            if (!link.busy && link.retry == null) {
                link.needsProbe = true;
                sync(link);
            }
        }
    }

    /** Starts whatever this proxy needs next, if nothing is under way for it. */
    private void sync(Link link) {
        PreparedSnapshot target = latest;
        if (link.removed || link.busy || link.retry != null || target == null) {
            return;
        }
        if (link.needsProbe) {
            probe(link, target);
        } else if (!target.version().equals(link.acked) && !target.version().equals(link.skip)) {
            push(link, target);
        }
    }

    private void probe(Link link, PreparedSnapshot target) {
        link.busy = true;
        client.currentVersion(link.proxy).thenAcceptAsync(answer -> probed(link, target, answer), thread);
    }

    private void probed(Link link, PreparedSnapshot target, VersionProbe answer) {
        link.busy = false;
        if (link.removed) {
            return;
        }
        if (answer instanceof VersionProbe.Unreachable) {
            failed(link, ((VersionProbe.Unreachable) answer).reason());
            return;
        }
        link.needsProbe = false;
        boolean afterStale = link.afterStale;
        link.afterStale = false;
        if (answer instanceof VersionProbe.HoldsNothing) {
            if (link.acked != null) {
                LOG.info("proxy {} lost snapshot {} (restarted?); sending {}", link.proxy, link.acked, target.version());
            }
            link.acked = null;
            fleet.lost(link.proxy);
        } else {
            SnapshotVersion held = ((VersionProbe.Holds) answer).version();
            if (held.epoch() > target.version().epoch()) {
                LOG.error("proxy {} holds snapshot {} from a newer leader epoch than ours ({}): deposed",
                        link.proxy, held, target.version());
                stopPushing(link, target, "proxy holds " + held + " from a newer leader epoch");
                fleet.deposed(link.proxy, held);
                return;
            }
            if (held.isNewerThan(target.version())) {
                stopPushing(link, target, "proxy holds " + held + ", newer than " + target.version()
                        + " in the same epoch");
                return;
            }
            link.acked = held;
            fleet.acknowledged(link.proxy, held);
        }
        if (afterStale && !target.version().equals(link.acked)) {
            failed(link, "proxy answered 409 to " + target.version() + " but holds "
                    + (link.acked == null ? "nothing" : link.acked));
            return;
        }
        if (target.version().equals(link.acked)) {
            link.failures = 0;
        }
        sync(link);
    }

    private void push(Link link, PreparedSnapshot target) {
        link.busy = true;
        long started = System.nanoTime();
        client.push(link.proxy, target.json())
                .thenAcceptAsync(outcome -> pushed(link, target, outcome, System.nanoTime() - started), thread);
    }

    private void pushed(Link link, PreparedSnapshot target, PushOutcome outcome, long nanos) {
        link.busy = false;
        pushTimers.get(outcome.result()).record(nanos, TimeUnit.NANOSECONDS);
        if (link.removed) {
            proxyMeters.forget(link.proxy);
            return;
        }
        proxyMeters.record(link.proxy, outcome.result(), nanos);
        if (outcome instanceof PushOutcome.Applied) {
            SnapshotVersion applied = ((PushOutcome.Applied) outcome).version();
            LOG.debug("proxy {} applied snapshot {}", link.proxy, applied);
            link.acked = applied;
            link.failures = 0;
            fleet.acknowledged(link.proxy, applied);
        } else if (outcome instanceof PushOutcome.Rejected) {
            List<String> errors = ((PushOutcome.Rejected) outcome).errors();
            LOG.warn("proxy {} rejected snapshot {}: {}", link.proxy, target.version(), errors);
            link.skip = target.version();
            link.failures = 0;
            fleet.rejected(link.proxy, target.version(), errors);
        } else if (outcome instanceof PushOutcome.Stale) {
            link.needsProbe = true;
            link.afterStale = true;
        } else {
            link.needsProbe = true;
            failed(link, ((PushOutcome.Failed) outcome).reason());
            return;
        }
        sync(link);
    }

    private void stopPushing(Link link, PreparedSnapshot target, String reason) {
        link.skip = target.version();
        link.failures = 0;
        fleet.failed(link.proxy, reason);
    }

    private void failed(Link link, String reason) {
        link.failures++;
        fleet.failed(link.proxy, reason);
        Duration delay = settings.backoff().delay(link.failures, random);
        if (link.failures == 1) {
            LOG.warn("push to proxy {} failed: {}; retrying in {} ms", link.proxy, reason, delay.toMillis());
        } else {
            LOG.debug("push to proxy {} failed {} times: {}; retrying in {} ms", link.proxy, link.failures, reason,
                    delay.toMillis());
        }
        link.retry = thread.schedule(() -> {
            link.retry = null;
            sync(link);
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Per-proxy delivery state; touched only on the push thread. */
    private static final class Link {
        final ProxyAddress proxy;
        boolean busy;
        boolean removed;
        boolean needsProbe = true;
        boolean afterStale;
        int failures;
        ScheduledFuture<?> retry;
        SnapshotVersion acked;
        SnapshotVersion skip;

        Link(ProxyAddress proxy) {
            this.proxy = proxy;
        }
    }
}
