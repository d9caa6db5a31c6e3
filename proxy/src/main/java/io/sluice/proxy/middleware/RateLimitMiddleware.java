package io.sluice.proxy.middleware;

import io.sluice.snapshot.HostNames;
import io.sluice.snapshot.MiddlewareSpec;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Traefik {@code rateLimit}: one token bucket per source (peer address, {@code ipStrategy} address, a request
 * header or the Host), refilled at {@code average} tokens per {@code periodMillis} and holding at most
 * {@code burst}. A request takes a token or is answered 429 with {@code Retry-After}. Requests of one source can
 * arrive on several event loops at once, so buckets live in a concurrent map and each is updated under its own
 * lock. The map is bounded: beyond {@code maxSources} it drops buckets that are full again (forgetting them
 * changes nothing), then, if sources are still too many, arbitrary ones (which start over with a full bucket).
 */
public final class RateLimitMiddleware implements HttpMiddleware {
    /** Default bound on tracked sources per middleware. */
    public static final int DEFAULT_MAX_SOURCES = 65_536;

    private final long burst;
    private final double nanosPerToken;
    /** A request's bucket key: a String, or for address criteria the InetAddress itself (no text per request). */
    private final Function<ForwardedRequest, ?> source;
    private final LongSupplier nanoClock;
    private final int maxSources;
    private final Map<Object, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();

    /**
     * @param average      tokens per period, more than 0 (0 means no limit and is handled by {@link #of})
     * @param periodMillis the period, more than 0
     * @param burst        bucket size, at least 1
     * @param source       the bucket key of a request
     * @param nanoClock    monotonic nanoseconds, {@code System::nanoTime} outside tests
     */
    RateLimitMiddleware(long average, long periodMillis, long burst, Function<ForwardedRequest, ?> source,
            LongSupplier nanoClock, int maxSources) {
        if (average <= 0 || periodMillis <= 0 || burst < 1 || maxSources < 1) {
            throw new IllegalArgumentException("rateLimit needs average > 0, period > 0 and burst >= 1");
        }
        this.burst = burst;
        this.nanosPerToken = (double) TimeUnit.MILLISECONDS.toNanos(periodMillis) / average;
        this.source = source;
        this.nanoClock = nanoClock;
        this.maxSources = maxSources;
    }

    /**
     * Builds the middleware for a spec with Traefik's defaults: {@code average 0} means no limit, a missing
     * period is one second, a burst below 1 is 1.
     *
     * @throws IllegalArgumentException for negative values or a bad {@code ipStrategy}
     */
    static HttpMiddleware of(MiddlewareSpec.RateLimit spec, LongSupplier nanoClock, int maxSources) {
        if (spec.average() < 0 || spec.periodMillis() < 0 || spec.burst() < 0) {
            throw new IllegalArgumentException("rateLimit average, period and burst must not be negative");
        }
        Function<ForwardedRequest, Object> source = keyOf(spec.sourceCriterion());
        if (spec.average() == 0) {
            return request -> null;
        }
        long period = spec.periodMillis() == 0 ? 1000 : spec.periodMillis();
        return new RateLimitMiddleware(spec.average(), period, Math.max(1, spec.burst()), source, nanoClock,
                maxSources);
    }

    static Function<ForwardedRequest, String> sourceOf(MiddlewareSpec.SourceCriterion criterion) {
        if (criterion != null && criterion.requestHeaderName() != null && !criterion.requestHeaderName().isEmpty()) {
            String name = criterion.requestHeaderName();
            return request -> {
                String value = request.headers().get(name);
                return value == null ? "" : value;
            };
        }
        if (criterion != null && criterion.requestHost()) {
            return request -> HostNames.normalize(request.host());
        }
        ClientAddressStrategy strategy = ClientAddressStrategy.of(criterion == null ? null : criterion.ipStrategy());
        return request -> {
            InetAddress address = strategy.clientAddress(request);
            return address == null ? "" : address.getHostAddress();
        };
    }

    /**
     * Like {@link #sourceOf}, but an address criterion keys by the {@link InetAddress} (equal for the same
     * address, as its text is), so that no address is formatted per request.
     */
    static Function<ForwardedRequest, Object> keyOf(MiddlewareSpec.SourceCriterion criterion) {
        boolean byAddress = (criterion == null || criterion.requestHeaderName() == null
                || criterion.requestHeaderName().isEmpty()) && (criterion == null || !criterion.requestHost());
        if (!byAddress) {
            Function<ForwardedRequest, String> text = sourceOf(criterion);
            return text::apply;
        }
        ClientAddressStrategy strategy = ClientAddressStrategy.of(criterion == null ? null : criterion.ipStrategy());
        return request -> {
            InetAddress address = strategy.clientAddress(request);
            return address == null ? "" : address;
        };
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        Object key = source.apply(request);
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.get(key);
        boolean added = false;
        if (bucket == null) {
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
            added = true;
        }
        long waitNanos = bucket.take(now, burst, nanosPerToken);
        if (added && buckets.size() > maxSources) {
            evict(now); // after the take, so the new bucket is not full and survives the idle sweep
        }
        if (waitNanos == 0) {
            return null;
        }
        long seconds = Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        return new Answer(429, Map.of("Retry-After", Long.toString(seconds)), "Too Many Requests");
    }

    /** Number of sources currently tracked (for tests and debugging). */
    int trackedSources() {
        return buckets.size();
    }

    private void evict(long now) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            buckets.values().removeIf(b -> b.isFull(now, burst, nanosPerToken));
            int target = maxSources - maxSources / 4;
            Iterator<Object> keys = buckets.keySet().iterator();
            while (buckets.size() > target && keys.hasNext()) {
                keys.next();
                keys.remove();
            }
        } finally {
            sweeping.set(false);
        }
    }

    /** Tokens of one source; updated under its own lock. */
    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(long burst, long now) {
            this.tokens = burst;
            this.updatedNanos = now;
        }

        /** @return 0 when a token was taken, else nanoseconds until one is available */
        synchronized long take(long now, long burst, double nanosPerToken) {
            refill(now, burst, nanosPerToken);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken));
        }

        synchronized boolean isFull(long now, long burst, double nanosPerToken) {
            refill(now, burst, nanosPerToken);
            return tokens >= burst;
        }

        private void refill(long now, long burst, double nanosPerToken) {
            long elapsed = now - updatedNanos;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed / nanosPerToken);
                updatedNanos = now;
            }
        }
    }
}
