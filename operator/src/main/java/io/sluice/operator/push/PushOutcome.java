package io.sluice.operator.push;

import io.sluice.snapshot.SnapshotVersion;
import java.util.List;
import java.util.Objects;

/** What one {@code PUT /snapshot} to one proxy came to, as the push protocol defines it. */
public sealed interface PushOutcome {

    /** The metric tag value: applied, rejected, stale or error. */
    String result();

    /** 200: the proxy now serves {@code version} (also when it already did). */
    record Applied(SnapshotVersion version) implements PushOutcome {
        public Applied {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public String result() {
            return "applied";
        }
    }

    /** 422: the proxy found the snapshot invalid and kept its old one. */
    record Rejected(List<String> errors) implements PushOutcome {
        public Rejected {
            errors = List.copyOf(errors);
        }

        @Override
        public String result() {
            return "rejected";
        }
    }

    /** 409: the proxy already holds a version at least as new as the one pushed. */
    record Stale(List<String> errors) implements PushOutcome {
        public Stale {
            errors = List.copyOf(errors);
        }

        @Override
        public String result() {
            return "stale";
        }
    }

    /** No usable answer: connection failure, timeout, 401, 5xx or an unreadable body. */
    record Failed(String reason) implements PushOutcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String result() {
            return "error";
        }
    }
}
