package io.sluice.proxy.entrypoint;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each finished exchange: the {@code sluice_requests_total} counter and request duration histogram, the
 * answers the proxy gave itself, and one JSON access-log line on the {@code sluice.access} logger.
 */
final class ExchangeRecorder {
    private static final Logger ACCESS = LoggerFactory.getLogger("sluice.access");
    /** Methods that get their own metric label; anything else is {@code OTHER}, so clients can't grow series. */
    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE");
    private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private record RequestKey(String entrypoint, String router, String service, String method, String statusClass) {
    }

    private record DurationKey(String entrypoint, String router) {
    }

    private final MeterRegistry registry;
    private final boolean accessLog;
    /** Meters by label values: looked up per request without going through Micrometer's builders. */
    private final ConcurrentMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<DurationKey, Timer> durations = new ConcurrentHashMap<>();

    ExchangeRecorder(MeterRegistry registry, boolean accessLog) {
        this.registry = registry;
        this.accessLog = accessLog;
    }

    void exchange(String entrypoint, String router, String service, String method, int status, long nanos) {
        String statusClass = status >= 100 && status < 600 ? STATUS_CLASSES[status / 100] : "other";
        String methodLabel = KNOWN_METHODS.contains(method) ? method : "OTHER";
        requests.computeIfAbsent(new RequestKey(entrypoint, router, service, methodLabel, statusClass),
                k -> Counter.builder("sluice.requests")
                        .description("Requests handled, by entrypoint, router, service, method and status class")
                        .tags("entrypoint", k.entrypoint(), "router", k.router(), "service", k.service(),
                                "method", k.method(), "status_class", k.statusClass())
                        .register(registry)).increment();
        durations.computeIfAbsent(new DurationKey(entrypoint, router),
                k -> Timer.builder("sluice.request.duration")
                        .description("Time from request head to the end of the response")
                        .tags("entrypoint", k.entrypoint(), "router", k.router())
                        .publishPercentileHistogram()
                        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (accessLog && ACCESS.isInfoEnabled()) {
            ACCESS.info("{\"entrypoint\":\"{}\",\"router\":\"{}\",\"service\":\"{}\",\"method\":\"{}\","
                    + "\"status\":{},\"durationMs\":{}}", entrypoint, router, service, method, status,
                    nanos / 1_000_000.0);
        }
    }

    void answered(String entrypoint, int status, String reason) {
        Counter.builder("sluice.proxy.answers")
                .description("Responses the proxy produced itself (404, 502, 503, 504, 4xx for bad input)")
                .tags("entrypoint", entrypoint, "status", Integer.toString(status), "reason", reason)
                .register(registry).increment();
    }
}
