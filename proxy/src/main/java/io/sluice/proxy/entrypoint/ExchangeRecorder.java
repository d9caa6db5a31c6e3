package io.sluice.proxy.entrypoint;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each finished exchange: the {@code sluice_requests_total} counter and request duration histogram, the
 * answers the proxy gave itself, and one JSON access-log line on the {@code sluice.access} logger (written off
 * the event loop by an {@link AccessLogWriter}).
 */
final class ExchangeRecorder {
    private static final Logger ACCESS = LoggerFactory.getLogger("sluice.access");
    private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final String OTHER_STATUS = "other";
    private static final String OTHER_METHOD = "OTHER";
    /** Method labels in a fixed order; the index picks the counter slot, {@code OTHER} is the last one. */
    private static final String[] METHODS =
            {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE", OTHER_METHOD};
    private static final int STATUS_SLOTS = STATUS_CLASSES.length + 1;

    private final MeterRegistry registry;
    /** Null when the access log is off (by flag or by the {@code sluice.access} logger's level). */
    private final AccessLogWriter accessLog;
    /**
     * Meters by entrypoint, router and service: nested maps so that the per-request lookup hashes strings whose
     * hash is cached and allocates no key object.
     */
    private final ConcurrentMap<String, ConcurrentMap<String, ConcurrentMap<String, RouteMeters>>> meters =
            new ConcurrentHashMap<>();

    ExchangeRecorder(MeterRegistry registry, boolean accessLog) {
        this.registry = registry;
        this.accessLog = accessLog && ACCESS.isInfoEnabled()
                ? new AccessLogWriter(ACCESS::info, registry, AccessLogWriter.DEFAULT_CAPACITY) : null;
    }

    void exchange(String entrypoint, String router, String service, String method, int status, long nanos) {
        RouteMeters route = routeMeters(entrypoint, router, service);
        int statusSlot = status >= 100 && status < 600 ? status / 100 : STATUS_CLASSES.length;
        route.requests(methodIndex(method), statusSlot).increment();
        route.duration.record(nanos, TimeUnit.NANOSECONDS);
        if (accessLog != null) {
            accessLog.log(entrypoint, router, service, method, status, nanos);
        }
    }

    private RouteMeters routeMeters(String entrypoint, String router, String service) {
        ConcurrentMap<String, ConcurrentMap<String, RouteMeters>> byRouter = meters.get(entrypoint);
        if (byRouter == null) {
            byRouter = meters.computeIfAbsent(entrypoint, k -> new ConcurrentHashMap<>());
        }
        ConcurrentMap<String, RouteMeters> byService = byRouter.get(router);
        if (byService == null) {
            byService = byRouter.computeIfAbsent(router, k -> new ConcurrentHashMap<>());
        }
        RouteMeters route = byService.get(service);
        if (route == null) {
            route = byService.computeIfAbsent(service, k -> new RouteMeters(entrypoint, router, service));
        }
        return route;
    }

    private static int methodIndex(String method) {
        for (int i = 0; i < METHODS.length - 1; i++) {
            if (METHODS[i].equals(method)) {
                return i;
            }
        }
        return METHODS.length - 1;
    }

    /** The meters of one entrypoint, router and service; request counters are registered on first use. */
    private final class RouteMeters {
        private final String entrypoint;
        private final String router;
        private final String service;
        private final Timer duration;
        private final AtomicReferenceArray<Counter> requests =
                new AtomicReferenceArray<>(METHODS.length * STATUS_SLOTS);

        RouteMeters(String entrypoint, String router, String service) {
            this.entrypoint = entrypoint;
            this.router = router;
            this.service = service;
            // registering returns the existing timer when another service of the same router made it
            this.duration = Timer.builder("sluice.request.duration")
                    .description("Time from request head to the end of the response")
                    .tags("entrypoint", entrypoint, "router", router)
                    .publishPercentileHistogram()
                    .register(registry);
        }

        Counter requests(int methodIndex, int statusSlot) {
            int slot = methodIndex * STATUS_SLOTS + statusSlot;
            Counter counter = requests.get(slot);
            if (counter == null) {
                counter = Counter.builder("sluice.requests")
                        .description("Requests handled, by entrypoint, router, service, method and status class")
                        .tags("entrypoint", entrypoint, "router", router, "service", service,
                                "method", METHODS[methodIndex],
                                "status_class", statusSlot < STATUS_CLASSES.length ? STATUS_CLASSES[statusSlot]
                                        : OTHER_STATUS)
                        .register(registry); // idempotent: a racing thread gets the same counter
                requests.set(slot, counter);
            }
            return counter;
        }
    }

    void answered(String entrypoint, int status, String reason) {
        Counter.builder("sluice.proxy.answers")
                .description("Responses the proxy produced itself (404, 502, 503, 504, 4xx for bad input)")
                .tags("entrypoint", entrypoint, "status", Integer.toString(status), "reason", reason)
                .register(registry).increment();
    }
}
