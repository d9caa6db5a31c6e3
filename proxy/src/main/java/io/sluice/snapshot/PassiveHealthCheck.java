package io.sluice.snapshot;

/**
 * Passive health of a load balancer's endpoints (Traefik's {@code passiveHealthCheck}): an endpoint that failed
 * {@code maxFailedAttempts} exchanges in a row (connection refused or timed out, or a 5xx response), each within
 * {@code failureWindowMillis} of now, gets no traffic until those failures are older than the window.
 */
public record PassiveHealthCheck(long failureWindowMillis, int maxFailedAttempts) {
    /** The most failed attempts an endpoint remembers, so the largest {@code maxFailedAttempts} accepted. */
    public static final int MAX_FAILED_ATTEMPTS = 32;
}
