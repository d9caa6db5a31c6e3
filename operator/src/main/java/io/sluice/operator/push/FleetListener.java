package io.sluice.operator.push;

import io.sluice.snapshot.SnapshotVersion;

/**
 * Told about fleet-wide milestones. Calls come from the push thread: keep them short (hand the work to another
 * thread) and never block.
 */
public interface FleetListener {

    /** Every live proxy now serves {@code version} (fired once per version, only with at least one proxy). */
    void fleetReached(SnapshotVersion version);

    /**
     * A proxy holds {@code newer}, from a later leader epoch than ours: this operator is no longer the leader and
     * must stop publishing. Fired once per newer version seen.
     */
    default void deposed(SnapshotVersion newer, ProxyAddress seenAt) {
    }
}
