package io.sluice.operator.push;

import io.sluice.snapshot.SnapshotVersion;
import java.util.Objects;

/** What {@code GET /snapshot/version} said about the snapshot a proxy holds right now. */
public sealed interface VersionProbe {

    /** 200: the proxy serves this version. */
    record Holds(SnapshotVersion version) implements VersionProbe {
        public Holds {
            Objects.requireNonNull(version, "version");
        }
    }

    /** 404: the proxy has no snapshot yet (new, or restarted). */
    record HoldsNothing() implements VersionProbe {
    }

    /** No usable answer. */
    record Unreachable(String reason) implements VersionProbe {
        public Unreachable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
