package io.sluice.proxy.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.TcpRouter;
import io.sluice.snapshot.TcpService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassthroughRoutesTest {

    private static PassthroughRoutes compile(List<TcpRouter> routers, List<TcpService> services) {
        return PassthroughRoutes.compile(RoutingSnapshot.empty(new SnapshotVersion(1, 1)).withTcp(routers, services),
                Duration.ofSeconds(1));
    }

    private static TcpService one(String id, String address) {
        return new TcpService(id, List.of(new TcpService.Backend(id, 1, List.of(Endpoint.ready(address, 443)))));
    }

    private static String routeFor(PassthroughRoutes routes, String entryPoint, String serverName) {
        PassthroughRoute route = routes.match(entryPoint, serverName);
        return route == null ? null : route.id();
    }

    @Test
    void matchesExactNamesCatchAllAndRegexpsByPriorityThenId() {
        PassthroughRoutes routes = compile(List.of(
                new TcpRouter("exact", List.of("websecure"), List.of("db.example.com"), List.of(), 30, "s"),
                new TcpRouter("regexp", List.of(), List.of(), List.of("^[a-z]+\\.example\\.org$"), 20, "s"),
                new TcpRouter("b-any", List.of("other"), List.of("*"), List.of(), 1, "s"),
                new TcpRouter("a-any", List.of("other"), List.of("*"), List.of(), 1, "s")),
                List.of(one("s", "10.0.0.1")));
        assertThat(routes.routerIds()).containsExactly("exact", "regexp", "a-any", "b-any");
        assertThat(routeFor(routes, "websecure", "DB.Example.com")).isEqualTo("exact");
        assertThat(routeFor(routes, "web", "db.example.com")).as("other entrypoint").isNull();
        assertThat(routeFor(routes, "websecure", "api.example.org")).isEqualTo("regexp");
        assertThat(routeFor(routes, "websecure", "a.b.example.org")).isNull();
        assertThat(routeFor(routes, "websecure", null)).as("no SNI, no catch-all here").isNull();
        assertThat(routeFor(routes, "other", null)).as("* takes connections without SNI").isEqualTo("a-any");
        assertThat(routeFor(routes, "other", "anything.test")).isEqualTo("a-any");
    }

    @Test
    void noRoutersMeansEveryConnectionIsTerminated() {
        assertThat(compile(List.of(), List.of()).isEmpty()).isTrue();
        assertThat(PassthroughRoutes.NONE.match("websecure", "x.test")).isNull();
    }

    @Test
    void splitsConnectionsByBackendWeightAndRotatesEndpointsWithinABackend() {
        TcpService service = new TcpService("s", List.of(
                new TcpService.Backend("heavy", 3, List.of(Endpoint.ready("10.0.0.1", 443),
                        Endpoint.ready("10.0.0.2", 443))),
                new TcpService.Backend("light", 1, List.of(Endpoint.ready("10.0.1.1", 443))),
                new TcpService.Backend("off", 0, List.of(Endpoint.ready("10.0.2.1", 443)))));
        WeightedBackends backends = new WeightedBackends(service);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            picks.add(backends.next().address());
        }
        assertThat(Collections.frequency(picks, "10.0.1.1")).isEqualTo(2);
        assertThat(Collections.frequency(picks, "10.0.0.1")).isEqualTo(3);
        assertThat(Collections.frequency(picks, "10.0.0.2")).isEqualTo(3);
        assertThat(picks).doesNotContain("10.0.2.1");
    }

    @Test
    void usesTerminatingEndpointsOnlyWhenNoneIsReady() {
        Endpoint terminating = new Endpoint("10.0.0.9", 443, 1, false, true, true);
        Endpoint notServing = new Endpoint("10.0.0.8", 443, 1, false, false, false);
        assertThat(new WeightedBackends(new TcpService("s", List.of(new TcpService.Backend("b", 1,
                List.of(terminating, notServing))))).next()).isEqualTo(terminating);
        assertThat(new WeightedBackends(new TcpService("s", List.of(new TcpService.Backend("b", 1,
                List.of(notServing))))).next()).isNull();
        assertThat(new WeightedBackends(new TcpService("s", List.of(new TcpService.Backend("b", 1,
                List.of(terminating, Endpoint.ready("10.0.0.1", 443)))))).next().address()).isEqualTo("10.0.0.1");
    }
}
