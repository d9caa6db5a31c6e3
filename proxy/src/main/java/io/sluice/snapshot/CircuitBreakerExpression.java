package io.sluice.snapshot;

import java.util.List;

/**
 * A parsed circuit breaker trigger in Traefik's syntax: comparisons of {@code NetworkErrorRatio()},
 * {@code ResponseCodeRatio(from, to, dividedFrom, dividedTo)} and {@code LatencyAtQuantileMS(quantile)} with a
 * number, combined with {@code &&}, {@code ||} and parentheses ({@code &&} binds tighter). Parsed by both the
 * operator (to report a bad expression on the Middleware's status) and the proxy (to evaluate it).
 */
public sealed interface CircuitBreakerExpression {

    /** The window statistics an expression is evaluated against. */
    interface Stats {
        /** Share of requests that failed at network level (502 or 504), 0 without requests. */
        double networkErrorRatio();

        /** Requests with a status in [from, to) divided by those in [dividedFrom, dividedTo); 0 if none. */
        double responseCodeRatio(int from, int to, int dividedFrom, int dividedTo);

        /** Latency in milliseconds at the quantile (0-100), 0 without requests. */
        double latencyAtQuantileMillis(double quantile);
    }

    boolean holds(Stats stats);

    /** Both sides hold. */
    record And(CircuitBreakerExpression left, CircuitBreakerExpression right) implements CircuitBreakerExpression {
        @Override
        public boolean holds(Stats stats) {
            return left.holds(stats) && right.holds(stats);
        }
    }

    /** Either side holds. */
    record Or(CircuitBreakerExpression left, CircuitBreakerExpression right) implements CircuitBreakerExpression {
        @Override
        public boolean holds(Stats stats) {
            return left.holds(stats) || right.holds(stats);
        }
    }

    /** {@code metric(arguments) operator threshold}. */
    record Comparison(String metric, List<Double> arguments, String operator, double threshold)
            implements CircuitBreakerExpression {
        public Comparison {
            arguments = List.copyOf(arguments);
        }

        @Override
        public boolean holds(Stats stats) {
            double value;
            if (metric.equals("NetworkErrorRatio")) {
                value = stats.networkErrorRatio();
            } else if (metric.equals("ResponseCodeRatio")) {
                value = stats.responseCodeRatio(arguments.get(0).intValue(), arguments.get(1).intValue(),
                        arguments.get(2).intValue(), arguments.get(3).intValue());
            } else {
                value = stats.latencyAtQuantileMillis(arguments.get(0));
            }
            switch (operator) {
                case ">":
                    return value > threshold;
                case ">=":
                    return value >= threshold;
                case "<":
                    return value < threshold;
                case "<=":
                    return value <= threshold;
                case "==":
                    return value == threshold;
                default:
                    return value != threshold;
            }
        }
    }

    /**
     * @throws IllegalArgumentException naming what is wrong and where
     */
    static CircuitBreakerExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("circuitBreaker expression is empty");
        }
        CircuitBreakerParser parser = new CircuitBreakerParser(text);
        CircuitBreakerExpression expression = parser.or();
        parser.skipSpaces();
        if (!parser.atEnd()) {
            throw parser.error("unexpected \"" + parser.rest() + "\"");
        }
        return expression;
    }
}
