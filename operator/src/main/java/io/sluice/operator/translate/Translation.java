package io.sluice.operator.translate;

import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
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
        List<TlsOptions> tlsOptions) {
    public Translation {
        tlsOptions = tlsOptions == null ? List.of() : List.copyOf(tlsOptions);
        routers = List.copyOf(routers);
        services = List.copyOf(services);
        middlewares = List.copyOf(middlewares);
        certificates = List.copyOf(certificates);
        problems = List.copyOf(problems);
        statuses = List.copyOf(statuses);
    }

    /** A translation with no default certificate and no TLS options. */
    public Translation(List<Router> routers, List<Service> services, List<Middleware> middlewares,
            List<Certificate> certificates, List<Problem> problems, List<ObjectStatus> statuses) {
        this(routers, services, middlewares, certificates, problems, statuses, null, List.of());
    }

    public RoutingSnapshot toSnapshot(SnapshotVersion version) {
        return new RoutingSnapshot(version, routers, services, middlewares, certificates, defaultCertificate,
                tlsOptions);
    }
}
