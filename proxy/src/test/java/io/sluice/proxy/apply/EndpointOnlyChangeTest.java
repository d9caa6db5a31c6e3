package io.sluice.proxy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Sticky;
import io.sluice.snapshot.Strategy;
import io.sluice.snapshot.TcpRouter;
import io.sluice.snapshot.TcpService;
import io.sluice.snapshot.TlsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which pushes count as endpoint-only changes, and which services they touch. */
class EndpointOnlyChangeTest {

    private static final Endpoint A = Endpoint.ready("10.0.0.1", 8080);
    private static final Endpoint B = Endpoint.ready("10.0.0.2", 8080);
    private static final Endpoint C = Endpoint.ready("10.0.0.3", 8080);

    private static RoutingSnapshot base() {
        return new RoutingSnapshot(new SnapshotVersion(1, 1),
                List.of(router("r1", "Host(`a.test`)", "web/app"), router("r2", "Host(`b.test`)", "web/split")),
                List.of(Service.LoadBalancer.of("web/app", List.of(A, B)),
                        Service.LoadBalancer.of("web/canary", List.of(C)),
                        new Service.Weighted("web/split", List.of(new Service.WeightedTarget("web/app", 9),
                                new Service.WeightedTarget("web/canary", 1)), null)),
                List.of(new Middleware("web/strip", new MiddlewareSpec.StripPrefix(List.of("/api")))),
                List.of(new Certificate("web/cert", "CERT", "KEY")),
                null, List.of());
    }

    private static Router router(String id, String rule, String service) {
        return new Router(id, List.of("web"), new RouteMatch.Rule(rule), 0, List.of("web/strip"), service, null);
    }

    private static RoutingSnapshot withService(RoutingSnapshot s, int index, Service service) {
        List<Service> services = new ArrayList<>(s.services());
        services.set(index, service);
        return copy(s, s.routers(), services, s.middlewares(), s.certificates(), s.defaultCertificate(),
                s.tlsOptions());
    }

    private static RoutingSnapshot copy(RoutingSnapshot s, List<Router> routers, List<Service> services,
            List<Middleware> middlewares, List<Certificate> certificates, String defaultCertificate,
            List<TlsOptions> tlsOptions) {
        return new RoutingSnapshot(new SnapshotVersion(1, 2), routers, services, middlewares, certificates,
                defaultCertificate, tlsOptions);
    }

    private static Service.LoadBalancer app(RoutingSnapshot s) {
        return (Service.LoadBalancer) s.services().get(0);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                change("same content, new version", s -> s.withVersion(new SnapshotVersion(1, 2)), Set.of()),
                change("an endpoint added", s -> withService(s, 0, app(s).withEndpoints(List.of(A, B, C))),
                        Set.of("web/app")),
                change("an endpoint removed", s -> withService(s, 0, app(s).withEndpoints(List.of(B))),
                        Set.of("web/app")),
                change("an endpoint became not ready", s -> withService(s, 0, app(s).withEndpoints(
                        List.of(A, new Endpoint("10.0.0.2", 8080, 1, false, true, true)))), Set.of("web/app")),
                change("an endpoint's weight changed", s -> withService(s, 0, app(s).withEndpoints(
                        List.of(A, new Endpoint("10.0.0.2", 8080, 3, true, true, false)))), Set.of("web/app")),
                change("endpoints reordered", s -> withService(s, 0, app(s).withEndpoints(List.of(B, A))),
                        Set.of("web/app")),
                change("two services' endpoints", s -> withService(
                        withService(s, 0, app(s).withEndpoints(List.of(A))), 1,
                        Service.LoadBalancer.of("web/canary", List.of())), Set.of("web/app", "web/canary")),
                full("load balancer strategy", s -> withService(s, 0, new Service.LoadBalancer("web/app",
                        List.of(A, B), Scheme.HTTP, true, Strategy.P2C, null, null, null))),
                full("load balancer scheme", s -> withService(s, 0, new Service.LoadBalancer("web/app",
                        List.of(A, B), Scheme.H2C, true, Strategy.WRR, null, null, null))),
                full("sticky sessions and endpoints", s -> withService(s, 0, new Service.LoadBalancer("web/app",
                        List.of(A), Scheme.HTTP, true, Strategy.WRR, new Sticky("lb", true, true, "Lax", null), null,
                        null))),
                full("weighted service weights", s -> withService(s, 2, new Service.Weighted("web/split",
                        List.of(new Service.WeightedTarget("web/app", 5), new Service.WeightedTarget("web/canary",
                                5)), null))),
                full("a service replaced by another kind", s -> withService(s, 1, new Service.Weighted(
                        "web/canary", List.of(new Service.WeightedTarget("web/app", 1)), null))),
                full("a service renamed", s -> withService(s, 1, Service.LoadBalancer.of("web/canary2",
                        List.of(C)))),
                full("a service added", s -> copy(s, s.routers(), append(s.services(),
                        Service.LoadBalancer.of("web/new", List.of(A))), s.middlewares(), s.certificates(), null,
                        List.of())),
                full("a service removed", s -> copy(s, s.routers(), s.services().subList(0, 2), s.middlewares(),
                        s.certificates(), null, List.of())),
                full("services reordered", s -> copy(s, s.routers(), List.of(s.services().get(1),
                        s.services().get(0), s.services().get(2)), s.middlewares(), s.certificates(), null,
                        List.of())),
                full("a router rule", s -> copy(s, List.of(router("r1", "Host(`c.test`)", "web/app"),
                        s.routers().get(1)), s.services(), s.middlewares(), s.certificates(), null, List.of())),
                full("a router rule and endpoints", s -> copy(s, List.of(router("r1", "Host(`c.test`)",
                        "web/app"), s.routers().get(1)), withService(s, 0, app(s).withEndpoints(List.of(A)))
                        .services(), s.middlewares(), s.certificates(), null, List.of())),
                full("a middleware", s -> copy(s, s.routers(), s.services(), List.of(new Middleware("web/strip",
                        new MiddlewareSpec.StripPrefix(List.of("/v2")))), s.certificates(), null, List.of())),
                full("a certificate", s -> copy(s, s.routers(), s.services(), s.middlewares(),
                        List.of(new Certificate("web/cert", "CERT2", "KEY2")), null,
                        List.of())),
                full("the default certificate", s -> copy(s, s.routers(), s.services(), s.middlewares(),
                        s.certificates(), "web/cert", List.of())),
                full("TLS options", s -> copy(s, s.routers(), s.services(), s.middlewares(), s.certificates(),
                        null, List.of(new TlsOptions("default", "TLSv1.2", null, List.of(), null, null,
                                false, List.of())))),
                full("a TLS passthrough backend's endpoints", s -> s.withVersion(new SnapshotVersion(1, 2))
                        .withTcp(List.of(new TcpRouter("tcp/r", List.of("websecure"), List.of("db.test"), List.of(),
                                0, "tcp/db")), List.of(new TcpService("tcp/db", List.of(
                                        new TcpService.Backend("db", 1, List.of(A))))))));
    }

    private static Arguments change(String name, UnaryOperator<RoutingSnapshot> edit, Set<String> services) {
        return Arguments.of(name, edit, Optional.of(services));
    }

    private static Arguments full(String name, UnaryOperator<RoutingSnapshot> edit) {
        return Arguments.of(name, edit, Optional.empty());
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void findsEndpointOnlyChanges(String name, UnaryOperator<RoutingSnapshot> edit, Optional<Set<String>> expected) {
        RoutingSnapshot serving = base();
        RoutingSnapshot next = edit.apply(serving);

        Optional<EndpointOnlyChange> change = EndpointOnlyChange.between(serving, next);

        assertThat(change.map(EndpointOnlyChange::services)).isEqualTo(expected);
        change.ifPresent(c -> assertThat(c.next()).isSameAs(next));
    }
}
