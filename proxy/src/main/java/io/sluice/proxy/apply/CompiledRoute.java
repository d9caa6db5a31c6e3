package io.sluice.proxy.apply;

import io.sluice.proxy.balancer.ServiceBalancer;
import io.sluice.proxy.middleware.ChainMiddleware;
import java.util.Objects;

/** What a router match gives the data path: the router id (for logs and metrics), its middlewares, its service. */
public record CompiledRoute(String routerId, ChainMiddleware middlewares, String serviceId, ServiceBalancer service) {
    public CompiledRoute {
        Objects.requireNonNull(routerId, "routerId");
        Objects.requireNonNull(middlewares, "middlewares");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(service, "service");
    }
}
