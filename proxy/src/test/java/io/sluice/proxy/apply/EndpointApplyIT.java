package io.sluice.proxy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.sluice.proxy.entrypoint.EntrypointServer;
import io.sluice.proxy.entrypoint.EntrypointSettings;
import io.sluice.proxy.health.HealthCheckers;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.testing.RequestLoad;
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
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Strategy;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoint-only pushes through the real applier and a real entrypoint on 127.0.0.1, with real JDK backends:
 * traffic keeps flowing, follows the new endpoints, and everything a full apply keeps is kept.
 */
class EndpointApplyIT {
    private static final HealthCheck CHECK = new HealthCheck("/healthz", 100, 500, null, null, null);

    private final SnapshotCodec codec = new SnapshotCodec();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final EventLoopGroup healthLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HealthCheckers checkers = new HealthCheckers(healthLoop, NioSocketChannel.class);
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(
            new UpstreamEndpoints(UpstreamSettings.defaults()), UpstreamSettings.defaults(),
            new MiddlewareFactory(), new RouterCompiler(), checkers);
    private final SnapshotApplier<CompiledSnapshot> applier = new SnapshotApplier<>(compiler, active, registry, null);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Backend> backends = new HashMap<>();
    private EntrypointServer server;
    private int port;
    private long sequence;

    /** A JDK backend answering its name; {@code /slow} waits a second; {@code /healthz} answers {@code health}. */
    private static final class Backend {
        final HttpServer http;
        final AtomicInteger hits = new AtomicInteger();
        final AtomicInteger probes = new AtomicInteger();
        final AtomicInteger health = new AtomicInteger(200);

        Backend(String name) throws Exception {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newFixedThreadPool(8));
            http.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                int status = 200;
                if (path.equals("/healthz")) {
                    probes.incrementAndGet();
                    status = health.get();
                } else {
                    hits.incrementAndGet();
                }
                if (path.equals("/slow")) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
        }

        Endpoint endpoint() {
            return Endpoint.ready("127.0.0.1", http.getAddress().getPort());
        }
    }

    @BeforeEach
    void start() throws Exception {
        for (String name : List.of("A", "B", "C")) {
            backends.put(name, new Backend(name));
        }
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                registry, 2, false);
        port = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        applier.close();
        checkers.stopAll();
        healthLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        backends.values().forEach(b -> b.http.stop(0));
    }

    private Backend backend(String name) {
        return backends.get(name);
    }

    private List<Endpoint> endpoints(String... names) {
        List<Endpoint> list = new ArrayList<>();
        for (String name : names) {
            list.add(backend(name).endpoint());
        }
        return list;
    }

    private static Router router(String id, String rule, String service, String... middlewares) {
        return new Router(id, List.of("web"), new RouteMatch.Rule(rule), 0, List.of(middlewares), service, null);
    }

    private static final Middleware LIMIT =
            new Middleware("limit", new MiddlewareSpec.RateLimit(1, 60_000, 2, null));

    /** One router on {@code /} through the rate limit to {@code svc}, and an unrelated router. */
    private RoutingSnapshot snapshot(List<Endpoint> svc) {
        return snapshot(List.of(router("all", "PathPrefix(`/`)", "svc", "limit-free"),
                router("other", "Host(`other.test`)", "other")), svc, List.of());
    }

    private RoutingSnapshot snapshot(List<Router> routers, List<Endpoint> svc, List<Middleware> extra) {
        List<Middleware> middlewares = new ArrayList<>(List.of(LIMIT,
                new Middleware("limit-free", new MiddlewareSpec.Chain(List.of()))));
        middlewares.addAll(extra);
        return new RoutingSnapshot(new SnapshotVersion(1, ++sequence), routers,
                List.of(new Service.LoadBalancer("other", endpoints("C"), Scheme.HTTP, true, Strategy.WRR, null,
                                null, null),
                        new Service.LoadBalancer("svc", svc, Scheme.HTTP, true, Strategy.WRR, null, null, null)),
                middlewares, List.of());
    }

    private ApplyResult push(RoutingSnapshot snapshot) throws Exception {
        return applier.apply(codec.encode(snapshot)).get(30, TimeUnit.SECONDS);
    }

    private ApplyResult pushAccepted(RoutingSnapshot snapshot, ApplyKind kind) throws Exception {
        ApplyResult result = push(snapshot);
        assertThat(result.problems()).isEmpty();
        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.APPLIED);
        assertThat(result.kind()).isEqualTo(kind);
        return result;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> bodies(int requests) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = get("/x");
            assertThat(response.statusCode()).isEqualTo(200);
            seen.add(response.body());
        }
        return seen;
    }

    private double applies(ApplyKind kind) {
        return registry.get("sluice.snapshot.applies").tag("outcome", "applied").tag("kind", kind.label())
                .counter().count();
    }

    @Test
    void endpointOnlyPushesUnderLoadFailNoRequest() throws Exception {
        pushAccepted(snapshot(endpoints("A", "B")), ApplyKind.FULL);
        RequestLoad load = RequestLoad.start(4, () -> get("/load").statusCode());
        for (int i = 0; i < 40; i++) {
            pushAccepted(snapshot(i % 2 == 0 ? endpoints("B") : endpoints("A", "B")), ApplyKind.ENDPOINTS);
            Thread.sleep(30);
        }
        assertThat(load.stop(Duration.ofSeconds(20))).isTrue();
        assertThat(load.done()).isGreaterThan(50);
        assertThat(load.failures()).isZero();
        assertThat(applies(ApplyKind.ENDPOINTS)).isEqualTo(40.0);
        assertThat(applies(ApplyKind.FULL)).isEqualTo(1.0);
    }

    @Test
    void anAddedEndpointGetsTrafficAndARemovedOneNoMore() throws Exception {
        pushAccepted(snapshot(endpoints("A")), ApplyKind.FULL);
        assertThat(bodies(4)).containsOnly("A");

        pushAccepted(snapshot(endpoints("A", "B")), ApplyKind.ENDPOINTS);
        assertThat(bodies(10)).contains("A", "B");

        pushAccepted(snapshot(endpoints("B")), ApplyKind.ENDPOINTS);
        int aBefore = backend("A").hits.get();
        assertThat(bodies(10)).containsOnly("B");
        assertThat(backend("A").hits.get()).isEqualTo(aBefore);
    }

    @Test
    void aRemovedEndpointFinishesItsRequestInFlightThenGetsNoNewOnes() throws Exception {
        pushAccepted(snapshot(endpoints("A")), ApplyKind.FULL);
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (backend("A").hits.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(backend("A").hits.get()).isEqualTo(1);

        pushAccepted(snapshot(endpoints("B")), ApplyKind.ENDPOINTS);

        HttpResponse<String> drained = slow.get(10, TimeUnit.SECONDS);
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body()).isEqualTo("A");
        assertThat(bodies(10)).containsOnly("B");
        assertThat(backend("A").hits.get()).isEqualTo(1);
    }

    @Test
    void aRouterChangeAfterSeveralEndpointPushesTakesEffect() throws Exception {
        pushAccepted(snapshot(endpoints("A")), ApplyKind.FULL);
        pushAccepted(snapshot(endpoints("A", "B")), ApplyKind.ENDPOINTS);
        pushAccepted(snapshot(endpoints("B")), ApplyKind.ENDPOINTS);
        pushAccepted(snapshot(endpoints("B", "C")), ApplyKind.ENDPOINTS);
        pushAccepted(snapshot(endpoints("B")), ApplyKind.ENDPOINTS);

        Middleware tag = new Middleware("tag", new MiddlewareSpec.Headers(Map.of(),
                Map.of("X-Route", "v2"), null, null));
        pushAccepted(snapshot(List.of(router("all", "PathPrefix(`/v2`)", "svc", "tag"),
                router("other", "Host(`other.test`)", "other")), endpoints("B"), List.of(tag)), ApplyKind.FULL);

        HttpResponse<String> moved = get("/v2/x");
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.body()).isEqualTo("B");
        assertThat(moved.headers().firstValue("X-Route")).contains("v2");
        assertThat(get("/x").statusCode()).isEqualTo(404);

        pushAccepted(snapshot(List.of(router("all", "PathPrefix(`/v2`)", "svc", "tag"),
                router("other", "Host(`other.test`)", "other")), endpoints("A"), List.of(tag)), ApplyKind.ENDPOINTS);
        HttpResponse<String> relinked = get("/v2/x");
        assertThat(relinked.body()).isEqualTo("A");
        assertThat(relinked.headers().firstValue("X-Route")).contains("v2");
    }

    @Test
    void aRefusedEndpointChangeKeepsTheOldSnapshotServing() throws Exception {
        pushAccepted(snapshot(endpoints("A")), ApplyKind.FULL);
        SnapshotVersion serving = applier.servingVersion().orElseThrow();

        ApplyResult invalid = push(snapshot(List.of(backend("B").endpoint(), Endpoint.ready("127.0.0.1", 0))));
        assertThat(invalid.outcome()).isEqualTo(ApplyResult.Outcome.INVALID);
        assertThat(invalid.problems()).anyMatch(p -> p.contains("invalid port 0"));
        ApplyResult stale = push(snapshot(endpoints("B")).withVersion(new SnapshotVersion(1, 1)));
        assertThat(stale.outcome()).isEqualTo(ApplyResult.Outcome.STALE);

        assertThat(applier.servingVersion()).contains(serving);
        assertThat(bodies(6)).containsOnly("A");
        assertThat(backend("B").hits.get()).isZero();

        pushAccepted(snapshot(endpoints("B")), ApplyKind.ENDPOINTS);
        assertThat(bodies(4)).containsOnly("B");
    }

    @Test
    void rateLimitStateCarriesOverEndpointAndFullAppliesAlike() throws Exception {
        List<Router> limited = List.of(router("all", "PathPrefix(`/`)", "svc", "limit"),
                router("other", "Host(`other.test`)", "other"));
        pushAccepted(snapshot(limited, endpoints("A"), List.of()), ApplyKind.FULL);
        assertThat(get("/x").statusCode()).isEqualTo(200);
        assertThat(get("/x").statusCode()).isEqualTo(200);
        assertThat(get("/x").statusCode()).isEqualTo(429);

        pushAccepted(snapshot(limited, endpoints("A", "B"), List.of()), ApplyKind.ENDPOINTS);
        assertThat(get("/x").statusCode()).isEqualTo(429);

        List<Router> changed = List.of(router("all", "PathPrefix(`/`)", "svc", "limit"),
                router("other", "Host(`other2.test`)", "other"));
        pushAccepted(snapshot(changed, endpoints("A", "B"), List.of()), ApplyKind.FULL);
        assertThat(get("/x").statusCode()).isEqualTo(429);
        assertThat(backend("A").hits.get() + backend("B").hits.get()).isEqualTo(2);
    }

    @Test
    void healthChecksStartForAddedEndpointsAndStopForRemovedOnes() throws Exception {
        backend("C").health.set(503);
        List<Router> routers = List.of(router("all", "PathPrefix(`/`)", "checked"));
        pushAccepted(checkedSnapshot(routers, endpoints("A")), ApplyKind.FULL);

        pushAccepted(checkedSnapshot(routers, endpoints("A", "C")), ApplyKind.ENDPOINTS);
        awaitProbes(backend("C"), 3);
        assertThat(bodies(10)).containsOnly("A");
        assertThat(backend("C").hits.get()).isZero();

        pushAccepted(checkedSnapshot(routers, endpoints("A")), ApplyKind.ENDPOINTS);
        Thread.sleep(300); // a probe already on the wire may still land
        int probes = backend("C").probes.get();
        Thread.sleep(500);
        assertThat(backend("C").probes.get()).isEqualTo(probes);
        assertThat(backend("A").probes.get()).isPositive();
    }

    private RoutingSnapshot checkedSnapshot(List<Router> routers, List<Endpoint> endpoints) {
        return new RoutingSnapshot(new SnapshotVersion(1, ++sequence), routers,
                List.of(new Service.LoadBalancer("checked", endpoints, Scheme.HTTP, true, Strategy.WRR, null,
                        CHECK, null)), List.of(), List.of());
    }

    private static void awaitProbes(Backend backend, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (backend.probes.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(backend.probes.get()).isGreaterThanOrEqualTo(count);
    }
}
