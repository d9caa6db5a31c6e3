package io.sluice.proxy.apply;

import java.util.Locale;

/**
 * How an installed snapshot was compiled: whole, or by reusing the serving one's router, middlewares and TLS and
 * rebuilding only the balancers whose endpoints changed. Shown as the {@code kind} label of
 * {@code sluice_snapshot_applies_total} and in the apply log line.
 */
public enum ApplyKind {
    /** Everything compiled from the snapshot. */
    FULL,
    /** Only endpoint lists changed: the affected balancers were rebuilt and relinked, the rest reused. */
    ENDPOINTS;

    /** The metric label value: {@code full} or {@code endpoints}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
