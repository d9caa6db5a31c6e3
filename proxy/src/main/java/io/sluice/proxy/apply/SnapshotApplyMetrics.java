package io.sluice.proxy.apply;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.snapshot.SnapshotVersion;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The applier's meters, registered once: the version serving (as two gauges, since a version is two numbers),
 * how many snapshots were accepted or refused and why, and how long applies take. Prometheus names are in
 * {@code docs/proxy-admin.md}.
 */
final class SnapshotApplyMetrics {
    private final AtomicReference<SnapshotVersion> serving = new AtomicReference<>(SnapshotVersion.NONE);
    private final Counter appliedFull;
    private final Counter appliedEndpoints;
    private final Counter unchanged;
    private final Counter stale;
    private final Counter invalid;
    private final Timer duration;

    SnapshotApplyMetrics(MeterRegistry registry) {
        Gauge.builder("sluice.snapshot.version.epoch", serving, v -> v.get().epoch())
                .description("Epoch of the routing snapshot serving now (0 before the first)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("sluice.snapshot.version.sequence", serving, v -> v.get().sequence())
                .description("Sequence of the routing snapshot serving now (0 before the first)")
                .strongReference(true)
                .register(registry);
        appliedFull = applies(registry, "applied", ApplyKind.FULL.label());
        appliedEndpoints = applies(registry, "applied", ApplyKind.ENDPOINTS.label());
        unchanged = applies(registry, "unchanged", "none");
        stale = rejections(registry, "stale");
        invalid = rejections(registry, "invalid");
        duration = Timer.builder("sluice.snapshot.apply.duration")
                .description("Time to decode, validate, compile and install a snapshot (or refuse it)")
                .register(registry);
    }

    void record(ApplyResult result, Duration took) {
        duration.record(took);
        switch (result.outcome()) {
            case APPLIED:
                (result.kind() == ApplyKind.ENDPOINTS ? appliedEndpoints : appliedFull).increment();
                serving.set(result.serving());
                break;
            case UNCHANGED:
                unchanged.increment();
                break;
            case STALE:
                stale.increment();
                break;
            default:
                invalid.increment();
                break;
        }
    }

    private static Counter applies(MeterRegistry registry, String outcome, String kind) {
        return Counter.builder("sluice.snapshot.applies")
                .description("Snapshots accepted: applied (installed; kind full or endpoints) or unchanged "
                        + "(same version and content; kind none)")
                .tag("outcome", outcome)
                .tag("kind", kind)
                .register(registry);
    }

    private static Counter rejections(MeterRegistry registry, String reason) {
        return Counter.builder("sluice.snapshot.rejections")
                .description("Snapshots refused: stale (not newer than the one serving) or invalid")
                .tag("reason", reason)
                .register(registry);
    }
}
