package io.sluice.proxy.passthrough;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The passthrough meters of one entrypoint: {@code sluice.passthrough.connections.open} (relays now open) and
 * {@code sluice.passthrough.connections} (connections taken by a TCP router, by {@code router} and
 * {@code outcome}: {@code relayed}, {@code connect_failed} or {@code no_endpoint}).
 */
final class PassthroughMetrics {
    static final String OPEN = "sluice.passthrough.connections.open";
    static final String CONNECTIONS = "sluice.passthrough.connections";

    private final MeterRegistry registry;
    private final String entryPoint;
    private final AtomicInteger open = new AtomicInteger();

    PassthroughMetrics(MeterRegistry registry, String entryPoint) {
        this.registry = registry;
        this.entryPoint = entryPoint;
        Gauge.builder(OPEN, open, AtomicInteger::get).description("Open TLS passthrough relays")
                .tag("entrypoint", entryPoint).register(registry);
    }

    void relayOpened(String routerId) {
        open.incrementAndGet();
        count(routerId, "relayed");
    }

    void relayClosed() {
        open.decrementAndGet();
    }

    void connectFailed(String routerId) {
        count(routerId, "connect_failed");
    }

    void noEndpoint(String routerId) {
        count(routerId, "no_endpoint");
    }

    int openRelays() {
        return open.get();
    }

    private void count(String routerId, String outcome) {
        Counter.builder(CONNECTIONS).description("TLS connections taken by a TCP router")
                .tag("entrypoint", entryPoint).tag("router", routerId).tag("outcome", outcome)
                .register(registry).increment();
    }
}
