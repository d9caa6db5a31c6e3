package io.sluice.proxy.upstream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Publishes the state of the upstream pools: open and idle connections, outstanding and queued requests, and
 * the requests the queues turned away, summed over every known endpoint (per-endpoint series would grow with
 * every pod ever seen).
 */
public final class UpstreamGauges {

    public UpstreamGauges(MeterRegistry registry, UpstreamEndpoints endpoints) {
        Gauge.builder("sluice.upstream.connections.open", endpoints,
                        e -> e.all().stream().mapToInt(UpstreamEndpoint::openConnections).sum())
                .description("Open connections to backends").strongReference(true).register(registry);
        Gauge.builder("sluice.upstream.connections.idle", endpoints,
                        e -> e.all().stream().mapToInt(UpstreamEndpoint::idleConnections).sum())
                .description("Pooled keep-alive connections waiting for a request").strongReference(true).register(registry);
        Gauge.builder("sluice.upstream.requests.outstanding", endpoints,
                        e -> e.all().stream().mapToInt(UpstreamEndpoint::outstanding).sum())
                .description("Requests sent to backends and not yet answered").strongReference(true).register(registry);
        Gauge.builder("sluice.upstream.requests.queued", endpoints,
                        e -> e.all().stream().mapToInt(UpstreamEndpoint::queued).sum())
                .description("Requests waiting for a connection to an endpoint at its connection limit")
                .strongReference(true).register(registry);
        for (UpstreamLimitException.Reason reason : UpstreamLimitException.Reason.values()) {
            if (!reason.queued()) {
                continue; // refused before queueing: counted with the proxy's answers, not here
            }
            FunctionCounter.builder("sluice.upstream.queue.rejected", endpoints.queueRejections(),
                            r -> r.count(reason))
                    .description("Queued requests answered 503 without a connection (full, timeout, removed)")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("sluice.upstream.endpoints", endpoints, e -> e.all().size())
                .description("Endpoints known to the current snapshot").strongReference(true).register(registry);
    }
}
