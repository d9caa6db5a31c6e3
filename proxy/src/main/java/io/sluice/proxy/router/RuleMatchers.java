package io.sluice.proxy.router;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * The Traefik v3 matchers, one small immutable record each. Regular expressions are RE2J patterns (linear
 * time, no backtracking) and are unanchored, as in Traefik: {@code find}, not {@code matches}.
 */
final class RuleMatchers {

    private RuleMatchers() {
    }

    /** Whether some value equals {@code expected} (indexed loop: the request views hand out random-access lists). */
    private static boolean anyEquals(List<String> values, String expected) {
        for (int i = 0; i < values.size(); i++) {
            if (expected.equals(values.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code pattern} finds a match in some value. */
    private static boolean anyFinds(List<String> values, Pattern pattern) {
        for (int i = 0; i < values.size(); i++) {
            if (pattern.matcher(values.get(i)).find()) {
                return true;
            }
        }
        return false;
    }

    /** {@code Host(`a.example.com`)}: the request host equals {@code host} (already lower-cased). */
    record Host(String host) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return host.equalsIgnoreCase(request.host());
        }
    }

    /** {@code HostRegexp(`re`)} against the lower-cased host without port. */
    record HostRegexp(Pattern pattern) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return pattern.matcher(request.host()).find();
        }
    }

    /** {@code Path(`/p`)}: exact, case-sensitive. */
    record Path(String path) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return path.equals(request.path());
        }
    }

    /** {@code PathPrefix(`/p`)}: a plain string prefix ({@code /api} takes {@code /apis} too, as in Traefik). */
    record PathPrefix(String prefix) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return request.path().startsWith(prefix);
        }
    }

    /** {@code PathRegexp(`re`)}. */
    record PathRegexp(Pattern pattern) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return pattern.matcher(request.path()).find();
        }
    }

    /** {@code Method(`GET`)}: the rule's method is upper-cased; the request's is compared as sent. */
    record Method(String method) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return method.equals(request.method());
        }
    }

    /** {@code Header(`k`, `v`)}: some value of header {@code k} equals {@code v}. */
    record Header(String name, String value) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return anyEquals(request.headers(name), value);
        }
    }

    /** {@code HeaderRegexp(`k`, `re`)}: some value of header {@code k} matches. */
    record HeaderRegexp(String name, Pattern pattern) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return anyFinds(request.headers(name), pattern);
        }
    }

    /** {@code Query(`k`)}: the query has a parameter {@code k}, whatever its value. */
    record QueryPresent(String name) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return !request.queryParameters(name).isEmpty();
        }
    }

    /** {@code Query(`k`, `v`)}: some value of parameter {@code k} equals {@code v}. */
    record Query(String name, String value) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return anyEquals(request.queryParameters(name), value);
        }
    }

    /** {@code QueryRegexp(`k`, `re`)}: some value of parameter {@code k} matches. */
    record QueryRegexp(String name, Pattern pattern) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return anyFinds(request.queryParameters(name), pattern);
        }
    }

    /** {@code a && b && ...}: every operand matches; evaluation stops at the first that does not. */
    record AllOf(RequestMatcher[] operands) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            for (RequestMatcher operand : operands) {
                if (!operand.matches(request)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code a || b || ...}: some operand matches. */
    record AnyOf(RequestMatcher[] operands) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            for (RequestMatcher operand : operands) {
                if (operand.matches(request)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code !a}. */
    record Not(RequestMatcher operand) implements RequestMatcher {
        @Override
        public boolean matches(RequestView request) {
            return !operand.matches(request);
        }
    }
}
