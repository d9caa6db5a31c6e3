package io.sluice.proxy.middleware;

/**
 * The {@code retry} middleware. It changes nothing on the request; it carries the retry policy the data path
 * applies when an upstream attempt fails before any response byte: how many tries in all and how long to wait
 * before each retry (the initial interval, doubled each time, at most {@link #MAX_INTERVAL_MILLIS}).
 */
public final class RetryMiddleware implements HttpMiddleware {
    /** The longest wait between two tries, whatever the initial interval. */
    public static final long MAX_INTERVAL_MILLIS = 30_000;

    private final int attempts;
    private final long initialIntervalMillis;

    /**
     * @param attempts              tries in all, the first included; at least 1
     * @param initialIntervalMillis wait before the first retry; 0 retries at once
     */
    public RetryMiddleware(int attempts, long initialIntervalMillis) {
        if (attempts < 1 || initialIntervalMillis < 0) {
            throw new IllegalArgumentException("retry: attempts must be >= 1 and initialInterval >= 0");
        }
        this.attempts = attempts;
        this.initialIntervalMillis = initialIntervalMillis;
    }

    public int attempts() {
        return attempts;
    }

    /** How long to wait before retry number {@code retry} (1 for the first retry). */
    public long delayBeforeRetry(int retry) {
        long delay = initialIntervalMillis;
        for (int i = 1; i < retry && delay < MAX_INTERVAL_MILLIS; i++) {
            delay *= 2;
        }
        return Math.min(delay, MAX_INTERVAL_MILLIS);
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        return null;
    }
}
