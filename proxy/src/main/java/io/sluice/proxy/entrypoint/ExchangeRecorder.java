package io.sluice.proxy.entrypoint;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each finished exchange: the {@code sluice_requests_total} counter and request duration histogram, the
 * answers the proxy gave itself, and one JSON access-log line on the {@code sluice.access} logger.
 */
final class ExchangeRecorder {
    private static final Logger ACCESS = LoggerFactory.getLogger("sluice.access");
    private final MeterRegistry registry;
    private final boolean accessLog;

    ExchangeRecorder(MeterRegistry registry, boolean accessLog) {
        this.registry = registry;
        this.accessLog = accessLog;
    }

    void exchange(String entrypoint, String router, String service, String method, int status, long nanos) {
        String statusClass = status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
        Counter.builder("sluice.requests")
                .description("Requests handled, by entrypoint, router, service, method and status class")
                .tags("entrypoint", entrypoint, "router", router, "service", service, "method", method,
                        "status_class", statusClass)
                .register(registry).increment();
        Timer.builder("sluice.request.duration")
                .description("Time from request head to the end of the response")
                .tags("entrypoint", entrypoint, "router", router)
                .publishPercentileHistogram()
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
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
