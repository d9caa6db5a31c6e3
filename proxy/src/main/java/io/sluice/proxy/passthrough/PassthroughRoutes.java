package io.sluice.proxy.passthrough;

import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.TcpRouter;
import io.sluice.snapshot.TcpService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The TLS passthrough routes of one snapshot, compiled: ordered by priority (higher first, ties by id), each with
 * its server name matcher and endpoint picker. Part of the compiled snapshot, so a swap replaces them whole;
 * connections already relayed keep their backend connection.
 */
public final class PassthroughRoutes {
    /** No passthrough routes: every TLS connection is terminated. */
    public static final PassthroughRoutes NONE = new PassthroughRoutes(List.of(), Duration.ofSeconds(5));

    private final List<PassthroughRoute> ordered;
    private final Duration connectTimeout;

    private PassthroughRoutes(List<PassthroughRoute> ordered, Duration connectTimeout) {
        this.ordered = ordered;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Compiles the snapshot's TCP routers. Expects a snapshot the {@link io.sluice.snapshot.SnapshotValidator}
     * accepted (every router names a known service, every regexp compiles).
     *
     * @param connectTimeout how long a connection to a backend endpoint may take before the client is closed
     */
    public static PassthroughRoutes compile(RoutingSnapshot snapshot, Duration connectTimeout) {
        if (snapshot.tcpRouters().isEmpty()) {
            return new PassthroughRoutes(List.of(), connectTimeout);
        }
        Map<String, TcpService> services = snapshot.tcpServices().stream()
                .collect(Collectors.toMap(TcpService::id, Function.identity(), (a, b) -> a));
        List<PassthroughRoute> routes = new ArrayList<>();
        for (TcpRouter router : snapshot.tcpRouters()) {
            TcpService service = services.get(router.service());
            if (service == null) {
                throw new IllegalArgumentException("tcp router " + router.id() + ": unknown tcp service \""
                        + router.service() + "\"");
            }
            routes.add(new PassthroughRoute(router, service));
        }
        routes.sort(Comparator.comparingInt(PassthroughRoute::priority).reversed()
                .thenComparing(PassthroughRoute::id));
        return new PassthroughRoutes(List.copyOf(routes), connectTimeout);
    }

    boolean isEmpty() {
        return ordered.isEmpty();
    }

    /** The route that takes a connection with this server name (null: none sent) on this entrypoint, or null. */
    PassthroughRoute match(String entryPoint, String serverName) {
        for (PassthroughRoute route : ordered) {
            if (route.takes(entryPoint, serverName)) {
                return route;
            }
        }
        return null;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    /** Router ids in match order, for the debug view and tests. */
    public List<String> routerIds() {
        return ordered.stream().map(PassthroughRoute::id).toList();
    }
}
