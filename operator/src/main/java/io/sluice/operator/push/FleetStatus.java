package io.sluice.operator.push;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.snapshot.SnapshotVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which snapshot version each live proxy acknowledged, which it rejected, and whether the whole fleet has reached
 * the latest one. The status writer asks {@link #allAcknowledged} (or listens for {@link FleetListener#fleetReached})
 * before it sets {@code Programmed=True}; the debug view shows {@link #proxies()}.
 *
 * <p>Only the {@link SnapshotPusher} changes it; anyone may read it from any thread. A proxy that leaves the
 * proxy admin Service no longer counts.
 *
 * <p>Metrics: {@code sluice_proxies}, {@code sluice_proxies_in_sync} (gauges) and
 * {@code sluice_propagation_seconds} (histogram from the snapshot's creation to the last proxy's acknowledgement).
 */
public final class FleetStatus {
    private final Clock clock;
    private final Timer propagation;
    private final List<FleetListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<ProxyAddress, ProxyStatus> live = new TreeMap<>();
    private PreparedSnapshot target;
    private SnapshotVersion reached;
    private SnapshotVersion deposedBy;

    public FleetStatus(MeterRegistry registry, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Gauge.builder("sluice.proxies", this, FleetStatus::proxyCount)
                .description("Proxy pods the operator pushes snapshots to").strongReference(true).register(registry);
        Gauge.builder("sluice.proxies.in.sync", this, FleetStatus::inSyncCount)
                .description("Proxy pods serving the operator's latest snapshot").strongReference(true)
                .register(registry);
        this.propagation = Timer.builder("sluice.propagation")
                .description("From the creation of a snapshot to its acknowledgement by the last live proxy")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void addListener(FleetListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * True when there is at least one live proxy and every live proxy serves {@code version} or a newer one. An
     * empty fleet has acknowledged nothing: no traffic is routed by it.
     */
    public synchronized boolean allAcknowledged(SnapshotVersion version) {
        Objects.requireNonNull(version, "version");
        return !live.isEmpty() && live.values().stream().allMatch(p -> p.holdsAtLeast(version));
    }

    /** Every live proxy, sorted by address. */
    public synchronized List<ProxyStatus> proxies() {
        return List.copyOf(live.values());
    }

    public synchronized Optional<ProxyStatus> proxy(ProxyAddress proxy) {
        return Optional.ofNullable(live.get(proxy));
    }

    /** The version being pushed, if any snapshot was published yet. */
    public synchronized Optional<SnapshotVersion> target() {
        return target == null ? Optional.empty() : Optional.of(target.version());
    }

    /** The newest version from a later leader epoch seen on a proxy: set means this operator was deposed. */
    public synchronized Optional<SnapshotVersion> deposedBy() {
        return Optional.ofNullable(deposedBy);
    }

    synchronized double proxyCount() {
        return live.size();
    }

    synchronized double inSyncCount() {
        if (target == null) {
            return 0;
        }
        return live.values().stream().filter(p -> p.holdsAtLeast(target.version())).count();
    }

    void targetChanged(PreparedSnapshot snapshot) {
        synchronized (this) {
            target = snapshot;
        }
        announceIfReached();
    }

    void proxyJoined(ProxyAddress proxy) {
        synchronized (this) {
            live.putIfAbsent(proxy, ProxyStatus.joined(proxy));
        }
    }

    void proxyLeft(ProxyAddress proxy) {
        synchronized (this) {
            live.remove(proxy);
        }
        announceIfReached();
    }

    void acknowledged(ProxyAddress proxy, SnapshotVersion version) {
        update(proxy, p -> p.withAcknowledged(version));
        announceIfReached();
    }

    /** The proxy answered that it holds no snapshot (it restarted): whatever it acknowledged before is gone. */
    void lost(ProxyAddress proxy) {
        update(proxy, p -> new ProxyStatus(p.proxy(), null, p.lastRejection(), p.lastError()));
    }

    void rejected(ProxyAddress proxy, SnapshotVersion version, List<String> errors) {
        update(proxy, p -> p.withRejection(new ProxyStatus.Rejection(version, errors, clock.instant())));
    }

    void failed(ProxyAddress proxy, String message) {
        update(proxy, p -> p.withError(new ProxyStatus.Failure(message, clock.instant())));
    }

    void deposed(ProxyAddress proxy, SnapshotVersion newer) {
        synchronized (this) {
            if (deposedBy != null && deposedBy.compareTo(newer) >= 0) {
                return;
            }
            deposedBy = newer;
        }
        listeners.forEach(l -> l.deposed(newer, proxy));
    }

    private synchronized void update(ProxyAddress proxy, java.util.function.UnaryOperator<ProxyStatus> change) {
        live.computeIfPresent(proxy, (address, status) -> change.apply(status));
    }

    private void announceIfReached() {
        SnapshotVersion version;
        synchronized (this) {
            if (target == null || target.version().equals(reached) || !allAcknowledged(target.version())) {
                return;
            }
            version = target.version();
            reached = version;
            Duration took = Duration.between(target.createdAt(), clock.instant());
            propagation.record(took.isNegative() ? Duration.ZERO : took);
        }
        List<FleetListener> toTell = new ArrayList<>(listeners);
        toTell.forEach(l -> l.fleetReached(version));
    }
}
