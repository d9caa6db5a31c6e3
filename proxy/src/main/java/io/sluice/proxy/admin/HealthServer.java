package io.sluice.proxy.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.sluice.proxy.lifecycle.Drainable;
import io.sluice.snapshot.SnapshotVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The read-only port for probes, Prometheus and people debugging: {@code /live}, {@code /ready},
 * {@code /metrics}, {@code /debug/snapshot}. Apart from traffic and push so that probes keep working under load
 * and need no credentials. Anything but GET and HEAD gets 405.
 */
public final class HealthServer implements Drainable, AutoCloseable {
    public static final int DEFAULT_PORT = 9000;
    private static final int MAX_BODY_BYTES = 1024;

    private final HttpListener listener;

    /**
     * @param version the version serving, for the debug view
     * @param routes  the routes serving, for the debug view
     */
    public HealthServer(InetSocketAddress address, EventLoopGroup group, Readiness readiness,
            PrometheusMeterRegistry registry, Supplier<Optional<SnapshotVersion>> version,
            Supplier<List<RouteSummary>> routes) {
        AdminResponses responses = new AdminResponses();
        this.listener = new HttpListener("health", address, group, null, p -> {
            p.addLast("health-aggregator", new HttpObjectAggregator(MAX_BODY_BYTES));
            p.addLast("health-api", new HealthRequestHandler(readiness, registry, version, routes, responses));
        });
    }

    public void start() throws InterruptedException {
        listener.start();
    }

    public int port() {
        return listener.port();
    }

    @Override
    public void stopAccepting() {
        listener.stopAccepting();
    }

    @Override
    public CompletableFuture<Void> drain() {
        return listener.drain();
    }

    @Override
    public void close() {
        listener.close();
    }
}
