package io.sluice.proxy.middleware;

import io.sluice.snapshot.MiddlewareSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Traefik {@code inFlightReq}: at most {@code amount} requests of one source (peer address, {@code ipStrategy}
 * address, a request header or the Host) are served at once; more are answered 429. A request counts from the
 * moment it is admitted until its exchange ends on any path (response sent, upstream failure, timeout, client
 * gone), which the data path reports through {@link ForwardedRequest#complete}. Sources with nothing in flight
 * are removed, so the map only holds sources being served.
 */
public final class InFlightReqMiddleware implements HttpMiddleware {
    private final long amount;
    private final Function<ForwardedRequest, String> source;
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();

    InFlightReqMiddleware(long amount, Function<ForwardedRequest, String> source) {
        if (amount < 1) {
            throw new IllegalArgumentException("inFlightReq.amount must be at least 1, got " + amount);
        }
        this.amount = amount;
        this.source = source;
    }

    /** @throws IllegalArgumentException for an amount below 1 or a bad {@code ipStrategy} */
    static InFlightReqMiddleware of(MiddlewareSpec.InFlightReq spec) {
        return new InFlightReqMiddleware(spec.amount(), RateLimitMiddleware.sourceOf(spec.sourceCriterion()));
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        String key = source.apply(request);
        boolean[] admitted = {false};
        inFlight.compute(key, (k, count) -> {
            long current = count == null ? 0 : count;
            if (current >= amount) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            return new Answer(429, Map.of(), "Too Many Requests");
        }
        request.whenComplete(outcome -> inFlight.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1));
        return null;
    }

    /** Requests of {@code key} in flight now (for tests and debugging). */
    long inFlight(String key) {
        return inFlight.getOrDefault(key, 0L);
    }

    /** Sources with requests in flight now. */
    int trackedSources() {
        return inFlight.size();
    }
}
