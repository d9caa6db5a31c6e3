package io.sluice.proxy.apply;

import io.sluice.snapshot.SnapshotVersion;
import java.util.List;
import java.util.Objects;

/**
 * What became of one snapshot offered to the {@link SnapshotApplier}.
 *
 * @param outcome  applied, unchanged (same version and content again), stale or invalid
 * @param offered  the version of the offered snapshot; null when the document could not be read
 * @param serving  the version serving after the attempt; null when nothing has ever been applied
 * @param problems every reason the snapshot was refused; empty when it was accepted
 * @param kind     how an applied snapshot was compiled; null unless the outcome is {@link Outcome#APPLIED}
 */
public record ApplyResult(Outcome outcome, SnapshotVersion offered, SnapshotVersion serving, List<String> problems,
        ApplyKind kind) {

    /** How an apply ended. */
    public enum Outcome {
        /** The snapshot was compiled and is now serving. */
        APPLIED,
        /** The same version with the same content was already serving; nothing changed. */
        UNCHANGED,
        /** The version is not newer than the one serving; nothing changed. */
        STALE,
        /** The document could not be read, validated or compiled; nothing changed. */
        INVALID
    }

    public ApplyResult {
        Objects.requireNonNull(outcome, "outcome");
        problems = List.copyOf(problems);
    }

    /** A result that installed nothing. */
    public ApplyResult(Outcome outcome, SnapshotVersion offered, SnapshotVersion serving, List<String> problems) {
        this(outcome, offered, serving, problems, null);
    }

    /** True when the offered snapshot is the one serving now (applied just now or already). */
    public boolean accepted() {
        return outcome == Outcome.APPLIED || outcome == Outcome.UNCHANGED;
    }
}
