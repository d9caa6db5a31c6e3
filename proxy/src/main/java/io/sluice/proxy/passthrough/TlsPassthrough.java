package io.sluice.proxy.passthrough;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import java.util.function.Supplier;

/**
 * TLS passthrough for one TLS entrypoint: makes, for each client connection, the handler that reads the server
 * name of the ClientHello and either relays the connection to a TCP router's backend or puts TLS termination in
 * its place. The one object the entrypoint holds; it reads the passthrough routes of the serving snapshot
 * through {@code routes} at each ClientHello.
 */
public final class TlsPassthrough {
    /** Client pipeline name of the handler that reads the ClientHello. */
    public static final String SNI_ROUTER = "tls-passthrough";

    private final String entryPoint;
    private final Supplier<PassthroughRoutes> routes;
    private final PassthroughMetrics metrics;

    public TlsPassthrough(String entryPoint, Supplier<PassthroughRoutes> routes, MeterRegistry registry) {
        this.entryPoint = entryPoint;
        this.routes = routes;
        this.metrics = new PassthroughMetrics(registry, entryPoint);
    }

    /**
     * A new connection's first TLS handler.
     *
     * @param terminationName name under which {@code termination} takes its place when the connection is not
     *                        passed through
     * @param termination     makes the handler that terminates TLS (the SNI certificate selector)
     */
    public ChannelHandler newSniRouter(String terminationName, Supplier<ChannelHandler> termination) {
        return new PassthroughSniRouter(entryPoint, routes, metrics, terminationName, termination);
    }

    /** Relays now open on this entrypoint. */
    public int openRelays() {
        return metrics.openRelays();
    }
}
