package io.sluice.operator.push;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link SnapshotPusher} paces itself: the retry backoff for a failing proxy, and how often it re-reads
 * the version of proxies that are in sync, to notice one that restarted and lost its snapshot.
 */
public record PushSettings(Backoff backoff, Duration verifyInterval) {

    public static final PushSettings DEFAULT = new PushSettings(Backoff.DEFAULT, Duration.ofSeconds(15));

    public PushSettings {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(verifyInterval, "verifyInterval");
        if (verifyInterval.isNegative() || verifyInterval.isZero()) {
            throw new IllegalArgumentException("verifyInterval must be positive: " + verifyInterval);
        }
    }
}
