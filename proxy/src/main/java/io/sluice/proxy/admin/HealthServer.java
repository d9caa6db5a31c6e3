package io.sluice.proxy.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.sluice.snapshot.SnapshotVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The read-only port for probes, Prometheus and people debugging: {@code /live}, {@code /ready},
 * {@code /metrics}, {@code /debug/snapshot}. Apart from traffic and push so that probes keep working under load
 * and need no credentials. Anything but GET and HEAD gets 405.
 */
public final class HealthServer extends AdminServer {
    public static final int DEFAULT_PORT = 9000;
    private static final int MAX_BODY_BYTES = 1024;

    /**
     * @param version the version serving, for the debug view
     * @param routes  the routes serving, for the debug view
     */
    public HealthServer(InetSocketAddress address, EventLoopGroup group, Readiness readiness,
            PrometheusMeterRegistry registry, Supplier<Optional<SnapshotVersion>> version,
            Supplier<List<RouteSummary>> routes) {
        this(address, group, readiness, registry, version, routes, new AdminResponses());
    }

    private HealthServer(InetSocketAddress address, EventLoopGroup group, Readiness readiness,
            PrometheusMeterRegistry registry, Supplier<Optional<SnapshotVersion>> version,
            Supplier<List<RouteSummary>> routes, AdminResponses responses) {
        super(new HttpListener("health", address, group, null, p -> {
            p.addLast("health-aggregator", new HttpObjectAggregator(MAX_BODY_BYTES));
            p.addLast("health-api", new HealthRequestHandler(readiness, registry, version, routes, responses));
        }));
    }
}
