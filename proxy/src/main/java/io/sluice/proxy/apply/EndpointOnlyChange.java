package io.sluice.proxy.apply;

import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot that differs from the one serving only in the endpoint lists of some load balancers (pods scaled,
 * became ready or went away), which is the common change in a cluster. Found structurally: every router,
 * middleware, certificate, TLS setting and TLS passthrough route or backend must be equal, services must come in the same order with the same
 * ids, and each changed service must be a load balancer that is equal to its old self once both endpoint lists
 * are set aside. Anything else is a full apply. The version is not compared.
 *
 * @param next     the snapshot to apply
 * @param services ids of the load balancers whose endpoint lists changed (may be empty: same content, new
 *                 version)
 */
public record EndpointOnlyChange(RoutingSnapshot next, Set<String> services) {

    public EndpointOnlyChange {
        Objects.requireNonNull(next, "next");
        services = Set.copyOf(services);
    }

    /** The endpoint-only change from {@code serving} to {@code next}, or empty when anything else changed. */
    public static Optional<EndpointOnlyChange> between(RoutingSnapshot serving, RoutingSnapshot next) {
        if (!serving.routers().equals(next.routers())
                || !serving.middlewares().equals(next.middlewares())
                || !serving.certificates().equals(next.certificates())
                || !Objects.equals(serving.defaultCertificate(), next.defaultCertificate())
                || !serving.tlsOptions().equals(next.tlsOptions())
                || !serving.tcpRouters().equals(next.tcpRouters())
                || !serving.tcpServices().equals(next.tcpServices())) {
            return Optional.empty();
        }
        List<Service> before = serving.services();
        List<Service> after = next.services();
        if (before.size() != after.size()) {
            return Optional.empty();
        }
        Set<String> changed = new LinkedHashSet<>();
        for (int i = 0; i < before.size(); i++) {
            Service old = before.get(i);
            Service now = after.get(i);
            if (old.equals(now)) {
                continue;
            }
            if (!endpointsOnly(old, now)) {
                return Optional.empty();
            }
            changed.add(now.id());
        }
        return Optional.of(new EndpointOnlyChange(next, changed));
    }

    private static boolean endpointsOnly(Service old, Service now) {
        if (!(old instanceof Service.LoadBalancer) || !(now instanceof Service.LoadBalancer)) {
            return false;
        }
        Service.LoadBalancer a = (Service.LoadBalancer) old;
        Service.LoadBalancer b = (Service.LoadBalancer) now;
        return a.withEndpoints(List.of()).equals(b.withEndpoints(List.of()));
    }
}
