package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.sluice.operator.crd.MiddlewareDefinition;
import io.sluice.snapshot.CircuitBreakerExpression;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.List;

/**
 * Translates the middlewares that act on whole exchanges ({@code circuitBreaker}, {@code compress},
 * {@code buffering}) and checks what the CRD schema cannot: that a circuit breaker's expression parses, that
 * durations are durations, and that no unsupported field is set. Problems name the field; the Middleware is then
 * left out and reported on its status.
 */
final class ExchangeMiddlewares {

    private ExchangeMiddlewares() {
    }

    static MiddlewareSpec circuitBreaker(MiddlewareDefinition.CircuitBreaker c, List<String> problems) {
        try {
            CircuitBreakerExpression.parse(c.expression());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        long check = millis("circuitBreaker.checkPeriod", c.checkPeriod(), problems);
        long fallback = millis("circuitBreaker.fallbackDuration", c.fallbackDuration(), problems);
        long recovery = millis("circuitBreaker.recoveryDuration", c.recoveryDuration(), problems);
        if (!problems.isEmpty()) {
            return null;
        }
        return new MiddlewareSpec.CircuitBreaker(c.expression(), check, fallback, recovery,
                c.responseCode() == null ? 0 : c.responseCode());
    }

    static MiddlewareSpec compress(MiddlewareDefinition.Compress c, List<String> problems) {
        if (c.excludedContentTypes() != null && c.includedContentTypes() != null) {
            problems.add("compress: set excludedContentTypes or includedContentTypes, not both");
            return null;
        }
        return new MiddlewareSpec.Compress(c.excludedContentTypes(), c.includedContentTypes(),
                c.minResponseBodyBytes() == null ? 0 : c.minResponseBodyBytes(), c.encodings(),
                c.defaultEncoding());
    }

    static MiddlewareSpec buffering(MiddlewareDefinition.Buffering b, List<String> problems) {
        if (b.retryExpression() != null && !b.retryExpression().isBlank()) {
            problems.add("buffering.retryExpression is not supported by Sluice; remove it");
            return null;
        }
        return new MiddlewareSpec.Buffering(orZero(b.maxRequestBodyBytes()), orZero(b.memRequestBodyBytes()),
                orZero(b.maxResponseBodyBytes()), orZero(b.memResponseBodyBytes()));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    /** @return the duration in milliseconds, 0 when unset (the proxy's default), -1 after adding a problem */
    private static long millis(String field, IntOrString value, List<String> problems) {
        if (value == null) {
            return 0;
        }
        if (value.getIntVal() != null) {
            if (value.getIntVal() <= 0) {
                problems.add(field + " must be > 0");
                return -1;
            }
            return value.getIntVal() * 1000L;
        }
        long parsed = Durations.millis(value.getStrVal());
        if (parsed <= 0) {
            problems.add(field + " \"" + value.getStrVal() + "\" is not a duration > 0 like 100ms, 10s, 1m");
            return -1;
        }
        return parsed;
    }
}
