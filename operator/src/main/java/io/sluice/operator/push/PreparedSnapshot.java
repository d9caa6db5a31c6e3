package io.sluice.operator.push;

import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotVersion;
import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot encoded once for the whole fleet, with the time its build started (the start of the propagation
 * latency measurement).
 */
record PreparedSnapshot(RoutingSnapshot snapshot, byte[] json, Instant createdAt) {

    PreparedSnapshot {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    SnapshotVersion version() {
        return snapshot.version();
    }
}
