package io.sluice.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Recursive descent over a {@link CircuitBreakerExpression}'s text; one instance per parse. */
final class CircuitBreakerParser {
    private final String text;
    private int at;

    CircuitBreakerParser(String text) {
        this.text = text;
    }

    CircuitBreakerExpression or() {
        CircuitBreakerExpression left = and();
        while (take("||")) {
            left = new CircuitBreakerExpression.Or(left, and());
        }
        return left;
    }

    private CircuitBreakerExpression and() {
        CircuitBreakerExpression left = operand();
        while (take("&&")) {
            left = new CircuitBreakerExpression.And(left, operand());
        }
        return left;
    }

    private CircuitBreakerExpression operand() {
        if (take("(")) {
            CircuitBreakerExpression inner = or();
            expect(")");
            return inner;
        }
        skipSpaces();
        int start = at;
        while (at < text.length() && Character.isLetter(text.charAt(at))) {
            at++;
        }
        String metric = text.substring(start, at);
        int arity = arity(metric);
        if (arity < 0) {
            throw error("unknown metric \"" + metric + "\", expected NetworkErrorRatio, ResponseCodeRatio"
                    + " or LatencyAtQuantileMS");
        }
        expect("(");
        List<Double> arguments = new ArrayList<>();
        while (arguments.size() < arity) {
            if (!arguments.isEmpty()) {
                expect(",");
            }
            arguments.add(number());
        }
        expect(")");
        check(metric, arguments);
        String operator = operator();
        return new CircuitBreakerExpression.Comparison(metric, arguments, operator, number());
    }

    private static int arity(String metric) {
        switch (metric) {
            case "NetworkErrorRatio":
                return 0;
            case "ResponseCodeRatio":
                return 4;
            case "LatencyAtQuantileMS":
                return 1;
            default:
                return -1;
        }
    }

    private void check(String metric, List<Double> arguments) {
        if (metric.equals("LatencyAtQuantileMS") && (arguments.get(0) <= 0 || arguments.get(0) > 100)) {
            throw error("LatencyAtQuantileMS quantile must be in (0, 100]");
        }
        if (metric.equals("ResponseCodeRatio")) {
            for (double a : arguments) {
                if (a != Math.rint(a) || a < 0 || a > 1000) {
                    throw error("ResponseCodeRatio arguments must be status codes (whole numbers 0-1000)");
                }
            }
            if (arguments.get(0) >= arguments.get(1) || arguments.get(2) >= arguments.get(3)) {
                throw error("ResponseCodeRatio ranges must have from < to");
            }
        }
    }

    private String operator() {
        for (String op : List.of(">=", "<=", "==", "!=", ">", "<")) {
            if (take(op)) {
                return op;
            }
        }
        throw error("expected a comparison operator (>, >=, <, <=, ==, !=)");
    }

    private double number() {
        skipSpaces();
        int start = at;
        while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.'
                || (at == start && text.charAt(at) == '-'))) {
            at++;
        }
        try {
            return Double.parseDouble(text.substring(start, at));
        } catch (NumberFormatException e) {
            at = start;
            throw error("expected a number");
        }
    }

    private boolean take(String token) {
        skipSpaces();
        if (text.startsWith(token, at)) {
            at += token.length();
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!take(token)) {
            throw error("expected \"" + token + "\"");
        }
    }

    void skipSpaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    boolean atEnd() {
        return at >= text.length();
    }

    String rest() {
        return text.substring(at);
    }

    IllegalArgumentException error(String message) {
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "circuitBreaker expression \"%s\": %s at position %d", text, message, at + 1));
    }
}
