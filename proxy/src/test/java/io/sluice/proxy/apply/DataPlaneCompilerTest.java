package io.sluice.proxy.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoint;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataPlaneCompilerTest {
    private final UpstreamEndpoints endpoints = new UpstreamEndpoints(UpstreamSettings.defaults());
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(endpoints, UpstreamSettings.defaults(),
            new MiddlewareFactory(), new RouterCompiler());

    private static Router router(String id, String rule, String service, List<String> middlewares) {
        return new Router(id, List.of(), new RouteMatch.Rule(rule), 0, middlewares, service, null);
    }

    private static RoutingSnapshot snapshot(List<Router> routers, List<Service> services, List<Middleware> mws) {
        return new RoutingSnapshot(new SnapshotVersion(1, 1), routers, services, mws, List.of());
    }

    @Test
    void collectsEveryProblemIntoOneRejection() {
        RoutingSnapshot bad = snapshot(List.of(
                        router("r1", "PathPrefix(`/a`)", "missing", List.of()),
                        router("r2", "PathPrefix(`/b`)", "svc", List.of("auth")),
                        router("r3", "Nonsense(`x`", "svc", List.of()),
                        router("r4", "PathPrefix(`/c`)", "svc", List.of("loop1"))),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("10.0.0.1", 80)))),
                List.of(new Middleware("auth", new MiddlewareSpec.BasicAuth(List.of("u:hash"), null, false, null)),
                        new Middleware("loop1", new MiddlewareSpec.Chain(List.of("loop2"))),
                        new Middleware("loop2", new MiddlewareSpec.Chain(List.of("loop1")))));
        assertThatThrownBy(() -> compiler.compile(bad))
                .isInstanceOf(SnapshotRejectedException.class)
                .satisfies(e -> {
                    List<String> problems = ((SnapshotRejectedException) e).problems();
                    assertThat(problems).anyMatch(p -> p.contains("r1") && p.contains("missing"));
                    assertThat(problems).anyMatch(p -> p.contains("r2") && p.contains("unsupported or malformed"));
                    assertThat(problems).anyMatch(p -> p.contains("r3"));
                    assertThat(problems).anyMatch(p -> p.contains("r4") && p.contains("cycle"));
                    assertThat(String.join(" ", problems)).doesNotContain("hash");
                });
    }

    @Test
    void keepsPoolsOfRemainingEndpointsAndRetiresRemovedOnes() throws Exception {
        Router route = router("r", "PathPrefix(`/`)", "svc", List.of());
        CompiledSnapshot first = compiler.compile(snapshot(List.of(route), List.of(Service.LoadBalancer.of("svc",
                List.of(Endpoint.ready("10.0.0.1", 80), Endpoint.ready("10.0.0.2", 80)))), List.of()));
        UpstreamEndpoint kept = endpoints.endpoint("10.0.0.1", 80);
        UpstreamEndpoint removed = endpoints.endpoint("10.0.0.2", 80);
        compiler.compile(snapshot(List.of(route), List.of(Service.LoadBalancer.of("svc",
                List.of(Endpoint.ready("10.0.0.1", 80), Endpoint.ready("10.0.0.3", 80)))), List.of()));
        assertThat(endpoints.endpoint("10.0.0.1", 80)).isSameAs(kept);
        assertThat(kept.retired()).isFalse();
        assertThat(removed.retired()).isTrue();
        assertThat(first.routeCount()).isEqualTo(1);
    }

    @Test
    void routesMatchToCompiledRoutes() throws Exception {
        CompiledSnapshot compiled = compiler.compile(snapshot(
                List.of(router("api", "PathPrefix(`/api`)", "svc", List.of())),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("10.0.0.1", 80)))), List.of()));
        CompiledRoute route = compiled.router().match("web", new io.sluice.proxy.router.RequestView() {
            public String host() { return "a"; }
            public String path() { return "/api/x"; }
            public String method() { return "GET"; }
            public String header(String name) { return null; }
            public List<String> headers(String name) { return List.of(); }
            public List<String> queryParameters(String name) { return List.of(); }
            public InetAddress clientAddress() { return InetAddress.getLoopbackAddress(); }
        });
        assertThat(route.routerId()).isEqualTo("api");
        assertThat(route.service().pick().endpoint().authority()).isEqualTo("10.0.0.1:80");
    }
}
