package io.sluice.operator.push;

import io.sluice.snapshot.SnapshotVersion;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the operator knows about one proxy: the version it last acknowledged (null until it holds one of ours),
 * the last snapshot it rejected and why, and the last failure to reach it (cleared by the next success).
 */
public record ProxyStatus(ProxyAddress proxy, SnapshotVersion acknowledged, Rejection lastRejection,
        Failure lastError) {

    public ProxyStatus {
        Objects.requireNonNull(proxy, "proxy");
    }

    static ProxyStatus joined(ProxyAddress proxy) {
        return new ProxyStatus(proxy, null, null, null);
    }

    /** True when the proxy serves {@code version} or something newer. */
    public boolean holdsAtLeast(SnapshotVersion version) {
        return acknowledged != null && acknowledged.compareTo(version) >= 0;
    }

    ProxyStatus withAcknowledged(SnapshotVersion version) {
        return new ProxyStatus(proxy, version, lastRejection, null);
    }

    ProxyStatus withRejection(Rejection rejection) {
        return new ProxyStatus(proxy, acknowledged, rejection, null);
    }

    ProxyStatus withError(Failure failure) {
        return new ProxyStatus(proxy, acknowledged, lastRejection, failure);
    }

    /** A snapshot the proxy refused as invalid (422), with the proxy's reasons. */
    public record Rejection(SnapshotVersion version, List<String> errors, Instant at) {
        public Rejection {
            Objects.requireNonNull(version, "version");
            errors = List.copyOf(errors);
            Objects.requireNonNull(at, "at");
        }
    }

    /** A push or version check that got no usable answer. */
    public record Failure(String message, Instant at) {
        public Failure {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(at, "at");
        }
    }
}
