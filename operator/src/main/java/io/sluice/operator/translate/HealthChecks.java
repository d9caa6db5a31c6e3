package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.sluice.operator.crd.ServiceRef;
import io.sluice.snapshot.HealthCheck;
import io.sluice.snapshot.PassiveHealthCheck;
import java.util.List;
import java.util.Locale;

/**
 * Translates an IngressRoute service's {@code healthCheck} and {@code passiveHealthCheck} (Traefik's fields) into
 * the snapshot's {@link HealthCheck} and {@link PassiveHealthCheck}. A check that cannot be honoured is left out
 * and each reason reported, so the service is still served, without that check.
 */
final class HealthChecks {
    /** One or more {@code <number><unit>} parts, as in {@code 1m30s}; a bare number means seconds. */
    private static final long DEFAULT_INTERVAL_MILLIS = 30_000;
    private static final long DEFAULT_TIMEOUT_MILLIS = 5_000;
    private static final long DEFAULT_FAILURE_WINDOW_MILLIS = 10_000;

    private HealthChecks() {
    }

    /**
     * @param problems receives {@code {field suffix, message}} pairs
     * @return the check, or null when there is none or it is invalid
     */
    static HealthCheck translate(ServiceRef.HealthCheck spec, List<String[]> problems) {
        if (spec == null) {
            return null;
        }
        int before = problems.size();
        if (spec.path() == null || !spec.path().startsWith("/")) {
            problems.add(new String[] {".healthCheck.path", "path is required and must start with /"});
        }
        long interval = millis(spec.interval(), DEFAULT_INTERVAL_MILLIS, ".healthCheck.interval", problems);
        long timeout = millis(spec.timeout(), DEFAULT_TIMEOUT_MILLIS, ".healthCheck.timeout", problems);
        String scheme = spec.scheme() == null ? null : spec.scheme().toLowerCase(Locale.ROOT);
        if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
            problems.add(new String[] {".healthCheck.scheme", "scheme " + spec.scheme()
                    + " is not supported (http or https)"});
        }
        if (spec.status() != null && (spec.status() < 100 || spec.status() > 599)) {
            problems.add(new String[] {".healthCheck.status", "status must be 100..599"});
        }
        if (spec.port() != null && (spec.port() < 1 || spec.port() > 65535)) {
            problems.add(new String[] {".healthCheck.port", "port must be 1..65535"});
        }
        if (problems.size() > before) {
            problems.add(new String[] {".healthCheck", "health check not applied; the service is served without it"});
            return null;
        }
        return new HealthCheck(spec.path(), interval, timeout, scheme, spec.hostname(), spec.status(), spec.port(),
                spec.headers());
    }

    /**
     * The service's {@code passiveHealthCheck}; null when there is none or it is invalid (each reason reported).
     */
    static PassiveHealthCheck translatePassive(ServiceRef.PassiveHealthCheck spec, List<String[]> problems) {
        if (spec == null) {
            return null;
        }
        int before = problems.size();
        long window = millis(spec.failureWindow(), DEFAULT_FAILURE_WINDOW_MILLIS,
                ".passiveHealthCheck.failureWindow", problems);
        int attempts = spec.maxFailedAttempts() == null ? 1 : spec.maxFailedAttempts();
        if (attempts < 1 || attempts > PassiveHealthCheck.MAX_FAILED_ATTEMPTS) {
            problems.add(new String[] {".passiveHealthCheck.maxFailedAttempts",
                "must be 1.." + PassiveHealthCheck.MAX_FAILED_ATTEMPTS});
        }
        if (problems.size() > before) {
            problems.add(new String[] {".passiveHealthCheck",
                "passive health check not applied; the service is served without it"});
            return null;
        }
        return new PassiveHealthCheck(window, attempts);
    }

    private static long millis(IntOrString value, long absent, String field, List<String[]> problems) {
        if (value == null) {
            return absent;
        }
        long result;
        if (value.getIntVal() != null) {
            result = value.getIntVal() * 1000L;
        } else {
            result = Durations.millis(value.getStrVal());
            if (result < 0) {
                problems.add(new String[] {field, "\"" + value.getStrVal() + "\" is not a duration like 10s, 500ms, 1m30s"});
                return absent;
            }
        }
        if (result <= 0) {
            problems.add(new String[] {field, "must be greater than 0"});
        }
        return result;
    }
}
