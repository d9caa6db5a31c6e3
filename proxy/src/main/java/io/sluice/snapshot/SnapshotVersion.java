package io.sluice.snapshot;

import java.util.Comparator;

/**
 * Orders snapshots. {@code epoch} is the operator leader's term (the Lease's {@code leaseTransitions} when it
 * became leader); {@code sequence} counts snapshots within that term. A deposed leader still has the older
 * epoch, so a snapshot it pushes late can never replace one from the newer leader.
 */
public record SnapshotVersion(long epoch, long sequence) implements Comparable<SnapshotVersion> {
    private static final Comparator<SnapshotVersion> ORDER =
            Comparator.comparingLong(SnapshotVersion::epoch).thenComparingLong(SnapshotVersion::sequence);

    public static final SnapshotVersion NONE = new SnapshotVersion(0, 0);

    public SnapshotVersion {
        if (epoch < 0 || sequence < 0) {
            throw new IllegalArgumentException("snapshot version parts must be >= 0: " + epoch + "." + sequence);
        }
    }

    /** The next version in the same epoch. */
    public SnapshotVersion next() {
        return new SnapshotVersion(epoch, sequence + 1);
    }

    public boolean isNewerThan(SnapshotVersion other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(SnapshotVersion o) {
        return ORDER.compare(this, o);
    }

    /** Printed as {@code epoch.sequence}, the form used in logs, metrics and the debug view. */
    @Override
    public String toString() {
        return epoch + "." + sequence;
    }
}
