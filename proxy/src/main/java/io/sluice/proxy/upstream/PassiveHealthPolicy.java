package io.sluice.proxy.upstream;

import java.time.Duration;
import java.util.Objects;

/**
 * When the data path takes an endpoint out of rotation on its own (passive health): after
 * {@code consecutiveFailures} failed exchanges in a row (a connection that could not be opened, or a 5xx
 * response) the endpoint is ejected for {@code ejection}, then re-admitted with a clean count. One success
 * resets the count.
 *
 * @param consecutiveFailures failures in a row that eject; 0 turns passive ejection off
 */
public record PassiveHealthPolicy(int consecutiveFailures, Duration ejection) {
    public PassiveHealthPolicy {
        Objects.requireNonNull(ejection, "ejection");
        if (consecutiveFailures < 0 || ejection.isNegative()) {
            throw new IllegalArgumentException("consecutiveFailures and ejection must not be negative");
        }
    }

    /** 5 consecutive failures eject for 10 seconds. */
    public static PassiveHealthPolicy defaults() {
        return new PassiveHealthPolicy(5, Duration.ofSeconds(10));
    }

    /** Never ejects. */
    public static PassiveHealthPolicy off() {
        return new PassiveHealthPolicy(0, Duration.ZERO);
    }
}
