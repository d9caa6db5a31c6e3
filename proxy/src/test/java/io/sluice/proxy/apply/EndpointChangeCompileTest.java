package io.sluice.proxy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.sluice.proxy.balancer.ServiceBalancer;
import io.sluice.proxy.health.ActiveHealthCheck;
import io.sluice.proxy.health.HealthCheckers;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RequestView;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoint;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.HealthCheck;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Strategy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint-only compile: what it rebuilds, what it reuses, and the endpoint state it keeps or retires. */
class EndpointChangeCompileTest {
    private static final Endpoint A = Endpoint.ready("10.0.0.1", 80);
    private static final Endpoint B = Endpoint.ready("10.0.0.2", 80);
    private static final Endpoint C = Endpoint.ready("10.0.0.3", 80);
    private static final Endpoint D = Endpoint.ready("10.0.0.4", 80);
    private static final HealthCheck CHECK = new HealthCheck("/healthz", 60_000, 500, null, null, null);

    private final EventLoopGroup healthLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HealthCheckers checkers = new HealthCheckers(healthLoop, NioSocketChannel.class);
    private final UpstreamEndpoints endpoints = new UpstreamEndpoints(UpstreamSettings.defaults());
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(endpoints, UpstreamSettings.defaults(),
            new MiddlewareFactory(), new RouterCompiler(), checkers);
    private RoutingSnapshot serving;
    private CompiledSnapshot compiled;
    private long sequence;

    @AfterEach
    void stop() {
        checkers.stopAll();
        healthLoop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static Router router(String id, String path, String service, String... middlewares) {
        return new Router(id, List.of(), new RouteMatch.Rule("PathPrefix(`" + path + "`)"), 0,
                List.of(middlewares), service, null);
    }

    private static Service.LoadBalancer lb(String id, HealthCheck check, Endpoint... eps) {
        return new Service.LoadBalancer(id, List.of(eps), Scheme.HTTP, true, Strategy.WRR, null, check, null);
    }

    /** {@link #snapshot(long, List, List, HealthCheck)} without active checks (picks then see every endpoint). */
    private static RoutingSnapshot snapshot(long sequence, List<Endpoint> app, List<Endpoint> pages) {
        return snapshot(sequence, app, pages, null);
    }

    /**
     * Routers: /app, /other (own middleware), /split (weighted over app and other), /errs (errors on pages);
     * {@code check} on app and other.
     */
    private static RoutingSnapshot snapshot(long sequence, List<Endpoint> app, List<Endpoint> pages,
            HealthCheck check) {
        return new RoutingSnapshot(new SnapshotVersion(1, sequence),
                List.of(router("r-app", "/app", "app", "limit"), router("r-other", "/other", "other", "strip"),
                        router("r-split", "/split", "split"), router("r-errs", "/errs", "other", "stack")),
                List.of(lb("app", check, app.toArray(new Endpoint[0])), lb("other", check, C),
                        new Service.Weighted("split", List.of(new Service.WeightedTarget("app", 1),
                                new Service.WeightedTarget("other", 1)), null),
                        Service.LoadBalancer.of("pages", pages)),
                List.of(new Middleware("limit", new MiddlewareSpec.RateLimit(10, 1000, 5, null)),
                        new Middleware("strip", new MiddlewareSpec.StripPrefix(List.of("/other"))),
                        new Middleware("errs", new MiddlewareSpec.Errors(List.of("500-599"), "pages", "/{status}")),
                        new Middleware("stack", new MiddlewareSpec.Chain(List.of("strip", "errs")))),
                List.of());
    }

    private void applyFull(RoutingSnapshot snapshot) throws Exception {
        compiled = compiler.compile(snapshot);
        serving = snapshot;
    }

    private void applyEndpoints(RoutingSnapshot snapshot) throws Exception {
        EndpointOnlyChange change = EndpointOnlyChange.between(serving, snapshot).orElseThrow();
        CompiledSnapshot next = compiler.compileEndpointChange(compiled, change);
        assertThat(next).isNotNull();
        compiled = next;
        serving = snapshot;
    }

    private CompiledRoute route(String path) {
        return compiled.router().match("web", new RequestView() {
            public String host() { return "a.test"; }
            public String path() { return path; }
            public String method() { return "GET"; }
            public String header(String name) { return null; }
            public List<String> headers(String name) { return List.of(); }
            public List<String> queryParameters(String name) { return List.of(); }
            public InetAddress clientAddress() { return InetAddress.getLoopbackAddress(); }
        });
    }

    private static Set<String> picked(ServiceBalancer service) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            seen.add(service.pick().endpoint().authority());
        }
        return seen;
    }

    private Set<String> runningChecks() {
        return checkers.running().stream().map(ActiveHealthCheck::toString).collect(Collectors.toSet());
    }

    @Test
    void rebuildsOnlyTheChangedBalancerAndTheRoutesLeadingToIt() throws Exception {
        applyFull(snapshot(++sequence, List.of(A, B), List.of(D)));
        CompiledRoute app = route("/app");
        CompiledRoute other = route("/other");
        CompiledRoute split = route("/split");
        CompiledRoute errs = route("/errs");

        applyEndpoints(snapshot(++sequence, List.of(B, D), List.of(D)));

        assertThat(route("/other")).isSameAs(other);
        assertThat(route("/errs")).isSameAs(errs);
        assertThat(route("/app")).isNotSameAs(app);
        assertThat(route("/app").middlewares()).isNotSameAs(app.middlewares());
        assertThat(picked(route("/app").service())).containsExactlyInAnyOrder("10.0.0.2:80", "10.0.0.4:80");
        assertThat(route("/split")).isNotSameAs(split);
        assertThat(picked(route("/split").service())).contains("10.0.0.4:80").doesNotContain("10.0.0.1:80");
        assertThat(compiled.parts().services().get("other")).isSameAs(compiledServiceBefore("other", other));
        assertThat(compiled.parts().middlewares().get("limit")).isNotNull();
    }

    private static ServiceBalancer compiledServiceBefore(String id, CompiledRoute route) {
        assertThat(route.serviceId()).isEqualTo(id);
        return route.service();
    }

    @Test
    void rebuildsErrorsMiddlewaresAndChainsBuiltOnAChangedService() throws Exception {
        applyFull(snapshot(++sequence, List.of(A), List.of(D)));
        CompiledRoute errs = route("/errs");
        CompiledRoute other = route("/other");
        Map<String, ?> before = compiled.parts().middlewares();

        applyEndpoints(snapshot(++sequence, List.of(A), List.of(C, D)));

        assertThat(route("/errs")).isNotSameAs(errs);
        assertThat(route("/errs").service()).isSameAs(errs.service());
        assertThat(route("/other")).isSameAs(other);
        Map<String, ?> after = compiled.parts().middlewares();
        assertThat(after.get("errs")).isNotSameAs(before.get("errs"));
        assertThat(after.get("stack")).isNotSameAs(before.get("stack"));
        assertThat(after.get("strip")).isSameAs(before.get("strip"));
        assertThat(after.get("limit")).isSameAs(before.get("limit"));
    }

    @Test
    void keepsPoolsOfRemainingEndpointsAndRetiresRemovedOnes() throws Exception {
        applyFull(snapshot(++sequence, List.of(A, B), List.of(D)));
        UpstreamEndpoint kept = endpoints.endpoint("10.0.0.2", 80);
        UpstreamEndpoint removed = endpoints.endpoint("10.0.0.1", 80);
        UpstreamEndpoint otherService = endpoints.endpoint("10.0.0.3", 80);

        applyEndpoints(snapshot(++sequence, List.of(B), List.of(D)));

        assertThat(endpoints.endpoint("10.0.0.2", 80)).isSameAs(kept);
        assertThat(endpoints.endpoint("10.0.0.3", 80)).isSameAs(otherService);
        assertThat(kept.retired()).isFalse();
        assertThat(otherService.retired()).isFalse();
        assertThat(removed.retired()).isTrue();
    }

    @Test
    void endpointStillListedByAnUnchangedServiceIsNotRetired() throws Exception {
        applyFull(snapshot(++sequence, List.of(A), List.of(A, D)));
        UpstreamEndpoint shared = endpoints.endpoint("10.0.0.1", 80);

        applyEndpoints(snapshot(++sequence, List.of(B), List.of(A, D)));

        assertThat(shared.retired()).isFalse();
        assertThat(endpoints.all()).contains(shared);
    }

    @Test
    void startsChecksOfAddedEndpointsStopsThoseOfRemovedOnesAndKeepsTheRest() throws Exception {
        applyFull(snapshot(++sequence, List.of(A, B), List.of(D), CHECK));
        List<ActiveHealthCheck> before = new ArrayList<>(checkers.running());
        assertThat(runningChecks()).containsExactlyInAnyOrder("app 10.0.0.1:80", "app 10.0.0.2:80",
                "other 10.0.0.3:80");

        applyEndpoints(snapshot(++sequence, List.of(B, D), List.of(D), CHECK));

        assertThat(runningChecks()).containsExactlyInAnyOrder("app 10.0.0.2:80", "app 10.0.0.4:80",
                "other 10.0.0.3:80");
        List<ActiveHealthCheck> kept = checkers.running().stream().filter(before::contains).toList();
        assertThat(kept).extracting(ActiveHealthCheck::toString)
                .containsExactlyInAnyOrder("app 10.0.0.2:80", "other 10.0.0.3:80");
    }

    @Test
    void aFullCompileAfterEndpointChangesSeesTheLatestEndpoints() throws Exception {
        applyFull(snapshot(++sequence, List.of(A), List.of(D)));
        applyEndpoints(snapshot(++sequence, List.of(A, B), List.of(D)));
        applyEndpoints(snapshot(++sequence, List.of(B, C), List.of(D)));
        RoutingSnapshot moved = snapshot(++sequence, List.of(B, C), List.of(D));
        List<Router> routers = new ArrayList<>(moved.routers());
        routers.set(0, router("r-app", "/moved", "app", "limit"));
        applyFull(new RoutingSnapshot(moved.version(), routers, moved.services(), moved.middlewares(),
                List.of()));

        assertThat(route("/moved").routerId()).isEqualTo("r-app");
        assertThat(route("/app")).isNull();
        assertThat(picked(route("/moved").service())).containsExactlyInAnyOrder("10.0.0.2:80", "10.0.0.3:80");
    }

    @Test
    void aFullCompileAfterEndpointChangesRunsTheChecksOfTheLatestEndpoints() throws Exception {
        applyFull(snapshot(++sequence, List.of(A), List.of(D), CHECK));
        applyEndpoints(snapshot(++sequence, List.of(A, B), List.of(D), CHECK));
        applyEndpoints(snapshot(++sequence, List.of(B, C), List.of(D), CHECK));
        RoutingSnapshot moved = snapshot(++sequence, List.of(B, C), List.of(D), CHECK);
        List<Router> routers = new ArrayList<>(moved.routers());
        routers.set(0, router("r-app", "/moved", "app", "limit"));
        applyFull(new RoutingSnapshot(moved.version(), routers, moved.services(), moved.middlewares(),
                List.of()));

        assertThat(runningChecks()).containsExactlyInAnyOrder("app 10.0.0.2:80", "app 10.0.0.3:80",
                "other 10.0.0.3:80");
    }

    @Test
    void aFullCompileKeepsMiddlewaresWhoseSpecIsUnchangedAndRebuildsChangedOnes() throws Exception {
        applyFull(snapshot(++sequence, List.of(A), List.of(D)));
        Map<String, ?> before = compiled.parts().middlewares();
        RoutingSnapshot next = snapshot(++sequence, List.of(A), List.of(D));
        List<Middleware> middlewares = new ArrayList<>(next.middlewares());
        middlewares.set(1, new Middleware("strip", new MiddlewareSpec.StripPrefix(List.of("/x"))));
        applyFull(new RoutingSnapshot(next.version(), next.routers(), next.services(), middlewares, List.of()));

        Map<String, ?> after = compiled.parts().middlewares();
        assertThat(after.get("limit")).isSameAs(before.get("limit"));
        assertThat(after.get("strip")).isNotSameAs(before.get("strip"));
        assertThat(after.get("errs")).isNotSameAs(before.get("errs"));
    }

    @Test
    void declinesWhatAnotherCompilerBuilt() throws Exception {
        RoutingSnapshot first = snapshot(++sequence, List.of(A), List.of(D));
        CompiledSnapshot foreign = new DataPlaneCompiler(new UpstreamEndpoints(UpstreamSettings.defaults()),
                UpstreamSettings.defaults(), new MiddlewareFactory(), new RouterCompiler(), checkers).compile(first);
        EndpointOnlyChange change = EndpointOnlyChange.between(first, snapshot(++sequence, List.of(B),
                List.of(D))).orElseThrow();

        assertThat(compiler.compileEndpointChange(foreign, change)).isNull();
        assertThat(compiler.compileEndpointChange(new CompiledSnapshot(foreign.router(), 4), change)).isNull();
    }
}
