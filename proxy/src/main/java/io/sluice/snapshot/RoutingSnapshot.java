package io.sluice.snapshot;

import java.util.List;
import java.util.Objects;

/**
 * Everything one proxy needs to serve traffic, at one version. Lists are kept in the order the operator gives
 * them (it sorts by id) so that the JSON form, and its content hash, is deterministic.
 */
public record RoutingSnapshot(
        SnapshotVersion version,
        List<Router> routers,
        List<Service> services,
        List<Middleware> middlewares,
        List<Certificate> certificates) {

    public RoutingSnapshot {
        Objects.requireNonNull(version, "version");
        routers = Lists.copy(routers);
        services = Lists.copy(services);
        middlewares = Lists.copy(middlewares);
        certificates = Lists.copy(certificates);
    }

    public static RoutingSnapshot empty(SnapshotVersion version) {
        return new RoutingSnapshot(version, List.of(), List.of(), List.of(), List.of());
    }

    public RoutingSnapshot withVersion(SnapshotVersion newVersion) {
        return new RoutingSnapshot(newVersion, routers, services, middlewares, certificates);
    }
}
