package io.sluice.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * Everything one proxy needs to serve traffic, at one version. Lists are kept in the order the operator gives
 * them (it sorts by id) so that the JSON form, and its content hash, is deterministic.
 *
 * @param defaultCertificate id of a {@link Certificate} of this snapshot served for server names no other
 *                           certificate covers; null leaves the proxy's own default (its files, else self-signed)
 * @param tlsOptions         TLS options sets named by routers; the one with id {@link TlsOptions#DEFAULT_ID}
 *                           applies to all other handshakes
 * @param tcpRouters         TLS passthrough routes by server name, consulted before TLS is terminated
 * @param tcpServices        the services the TCP routers relay to
 */
public record RoutingSnapshot(
        SnapshotVersion version,
        List<Router> routers,
        List<Service> services,
        List<Middleware> middlewares,
        List<Certificate> certificates,
        String defaultCertificate,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TlsOptions> tlsOptions,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TcpRouter> tcpRouters,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TcpService> tcpServices) {

    public RoutingSnapshot {
        Objects.requireNonNull(version, "version");
        routers = Lists.copy(routers);
        services = Lists.copy(services);
        middlewares = Lists.copy(middlewares);
        certificates = Lists.copy(certificates);
        tlsOptions = Lists.copy(tlsOptions);
        tcpRouters = Lists.copy(tcpRouters);
        tcpServices = Lists.copy(tcpServices);
    }

    /** A snapshot without TCP routes. */
    public RoutingSnapshot(SnapshotVersion version, List<Router> routers, List<Service> services,
            List<Middleware> middlewares, List<Certificate> certificates, String defaultCertificate,
            List<TlsOptions> tlsOptions) {
        this(version, routers, services, middlewares, certificates, defaultCertificate, tlsOptions, List.of(),
                List.of());
    }

    /** A snapshot that keeps the proxy's own default certificate and TLS settings. */
    public RoutingSnapshot(SnapshotVersion version, List<Router> routers, List<Service> services,
            List<Middleware> middlewares, List<Certificate> certificates) {
        this(version, routers, services, middlewares, certificates, null, List.of());
    }

    public static RoutingSnapshot empty(SnapshotVersion version) {
        return new RoutingSnapshot(version, List.of(), List.of(), List.of(), List.of());
    }

    public RoutingSnapshot withVersion(SnapshotVersion newVersion) {
        return new RoutingSnapshot(newVersion, routers, services, middlewares, certificates, defaultCertificate,
                tlsOptions, tcpRouters, tcpServices);
    }

    /** This snapshot with the given TLS passthrough routes and their services in place of its own. */
    public RoutingSnapshot withTcp(List<TcpRouter> newTcpRouters, List<TcpService> newTcpServices) {
        return new RoutingSnapshot(version, routers, services, middlewares, certificates, defaultCertificate,
                tlsOptions, newTcpRouters, newTcpServices);
    }
}
