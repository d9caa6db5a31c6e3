package io.sluice.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotValidatorTest {
    private final SnapshotValidator validator = new SnapshotValidator();
    private static final SnapshotVersion V = new SnapshotVersion(1, 1);

    @Test
    void aConsistentSnapshotHasNoProblems() {
        assertThat(validator.validate(SnapshotCodecTest.sample(V))).isEmpty();
    }

    @Test
    void namesEveryProblemAtOnce() {
        RoutingSnapshot s = new RoutingSnapshot(V,
                List.of(new Router("r1", List.of(), new RouteMatch.Rule("Path(`/`)"), 0, List.of("nope"), "missing",
                                new RouterTls("no-cert", null)),
                        new Router("r1", List.of(), new RouteMatch.IngressPath("bad_host", "x",
                                RouteMatch.PathType.EXACT), 0, List.of(), "s", null)),
                List.of(Service.LoadBalancer.of("s", List.of(new Endpoint("10.0.0.1", 0, -1, true, true, false)))),
                List.of(), List.of());
        assertThat(validator.validate(s)).containsExactlyInAnyOrder(
                "router r1: duplicate id",
                "router r1: unknown service \"missing\"",
                "router r1: unknown middleware \"nope\"",
                "router r1: unknown certificate \"no-cert\"",
                "router r1: path \"x\" must start with /",
                "router r1: invalid host \"bad_host\"",
                "service s: endpoint 10.0.0.1 has invalid port 0",
                "service s: endpoint 10.0.0.1:0 has negative weight");
    }

    @Test
    void detectsServiceAndChainCycles() {
        RoutingSnapshot s = new RoutingSnapshot(V, List.of(),
                List.of(new Service.Weighted("a", List.of(new Service.WeightedTarget("b", 1)), null),
                        new Service.Weighted("b", List.of(new Service.WeightedTarget("a", 1)), null),
                        new Service.Weighted("self", List.of(new Service.WeightedTarget("self", 1)), null)),
                List.of(new Middleware("x", new MiddlewareSpec.Chain(List.of("y"))),
                        new Middleware("y", new MiddlewareSpec.Chain(List.of("x")))),
                List.of());
        assertThat(validator.validate(s)).containsExactlyInAnyOrder(
                "service a: service refers to itself (cycle)",
                "service b: service refers to itself (cycle)",
                "service self: service refers to itself (cycle)",
                "middleware x: chain refers to itself (cycle)",
                "middleware y: chain refers to itself (cycle)");
    }

    @Test
    void upstreamMiddlewaresNameWhatTheyCallAndHowItIsWrong() {
        RoutingSnapshot s = new RoutingSnapshot(V, List.of(),
                List.of(Service.LoadBalancer.of("pages", List.of())),
                List.of(new Middleware("ok", new MiddlewareSpec.Errors(List.of("404", "500-599"), "pages", null)),
                        new Middleware("lost", new MiddlewareSpec.Errors(List.of("5xx"), "gone", "/")),
                        new Middleware("auth", new MiddlewareSpec.ForwardAuth("auth:80", false, null, null, null,
                                null, false)),
                        new Middleware("retry", new MiddlewareSpec.Retry(2, 0))),
                List.of());
        assertThat(validator.validate(s)).containsExactlyInAnyOrder(
                "middleware lost: unknown service \"gone\" for error pages",
                "middleware lost: status \"5xx\" is not a code or a range like 500-599",
                "middleware auth: forwardAuth address must be an http:// or https:// URL");
    }

    @Test
    void wildcardHostsAreValidPatterns() {
        assertThat(HostNames.isValidPattern("*.example.com")).isTrue();
        assertThat(HostNames.isValidPattern("a.*.example.com")).isFalse();
        assertThat(HostNames.normalize("Foo.Example.COM.:8080")).isEqualTo("foo.example.com");
        assertThat(HostNames.normalize("[::1]:80")).isEqualTo("[::1]");
    }
}
