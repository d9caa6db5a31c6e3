package io.sluice.operator.translate;

import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.TcpRouter;
import io.sluice.snapshot.TcpService;
import io.sluice.snapshot.TlsOptions;
import java.util.List;

/**
 * The result of one translation: the snapshot content (every list sorted by id), the problems found (sorted), and
 * one {@link ObjectStatus} per source object (sorted by ref). The version is the caller's to choose.
 */
public record Translation(
        List<Router> routers,
        List<Service> services,
        List<Middleware> middlewares,
        List<Certificate> certificates,
        List<Problem> problems,
        List<ObjectStatus> statuses,
        String defaultCertificate,
        List<TlsOptions> tlsOptions,
        List<TcpRouter> tcpRouters,
        List<TcpService> tcpServices) {
    public Translation {
        tcpRouters = tcpRouters == null ? List.of() : List.copyOf(tcpRouters);
        tcpServices = tcpServices == null ? List.of() : List.copyOf(tcpServices);
        tlsOptions = tlsOptions == null ? List.of() : List.copyOf(tlsOptions);
        routers = List.copyOf(routers);
        services = List.copyOf(services);
        middlewares = List.copyOf(middlewares);
        certificates = List.copyOf(certificates);
        problems = List.copyOf(problems);
        statuses = List.copyOf(statuses);
    }

    /** A translation without TLS passthrough routes. */
    public Translation(List<Router> routers, List<Service> services, List<Middleware> middlewares,
            List<Certificate> certificates, List<Problem> problems, List<ObjectStatus> statuses,
            String defaultCertificate, List<TlsOptions> tlsOptions) {
        this(routers, services, middlewares, certificates, problems, statuses, defaultCertificate, tlsOptions,
                List.of(), List.of());
    }

    /** This translation with the given TLS passthrough routes and their services. */
    public Translation withTcp(List<TcpRouter> newTcpRouters, List<TcpService> newTcpServices) {
        return new Translation(routers, services, middlewares, certificates, problems, statuses, defaultCertificate,
                tlsOptions, newTcpRouters, newTcpServices);
    }

    /** A translation with no default certificate and no TLS options. */
    public Translation(List<Router> routers, List<Service> services, List<Middleware> middlewares,
            List<Certificate> certificates, List<Problem> problems, List<ObjectStatus> statuses) {
        this(routers, services, middlewares, certificates, problems, statuses, null, List.of());
    }

    public RoutingSnapshot toSnapshot(SnapshotVersion version) {
        return new RoutingSnapshot(version, routers, services, middlewares, certificates, defaultCertificate,
                tlsOptions, tcpRouters, tcpServices);
    }
}
