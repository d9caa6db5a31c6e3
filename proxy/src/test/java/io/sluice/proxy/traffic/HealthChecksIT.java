package io.sluice.proxy.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.entrypoint.EntrypointServer;
import io.sluice.proxy.entrypoint.EntrypointSettings;
import io.sluice.proxy.health.HealthCheckers;
import io.sluice.proxy.health.HealthGauges;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.HealthCheck;
import io.sluice.snapshot.PassiveHealthCheck;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Strategy;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Active and passive health through the real proxy: real client, real Netty entrypoint, real JDK backends whose
 * health endpoint and answers the tests switch.
 */
class HealthChecksIT {
    private static final PassiveHealthCheck PASSIVE = new PassiveHealthCheck(3000, 3);

    /** One backend: its name answers {@code /}, {@code healthStatus} answers {@code /healthz}. */
    private static final class Backend {
        final String name;
        final HttpServer http;
        final AtomicInteger healthStatus = new AtomicInteger(200);
        final AtomicInteger trafficStatus = new AtomicInteger(200);
        final AtomicInteger healthProbes = new AtomicInteger();
        final ConcurrentLinkedQueue<String> probeHeaders = new ConcurrentLinkedQueue<>();

        Backend(String name) throws Exception {
            this.name = name;
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                int status = trafficStatus.get();
                if (exchange.getRequestURI().getPath().equals("/healthz")) {
                    healthProbes.incrementAndGet();
                    probeHeaders.add(exchange.getRequestHeaders().getFirst("Host") + " "
                            + exchange.getRequestHeaders().getFirst("X-Probe"));
                    status = healthStatus.get();
                }
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
        }

        int port() {
            return http.getAddress().getPort();
        }
    }

    private final Map<String, Backend> backends = new HashMap<>();
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final UpstreamEndpoints endpoints = new UpstreamEndpoints(UpstreamSettings.defaults());
    private final EventLoopGroup healthLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HealthCheckers checkers = new HealthCheckers(healthLoop, NioSocketChannel.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(endpoints, UpstreamSettings.defaults(),
            new MiddlewareFactory(), new RouterCompiler(), checkers);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SnapshotVersion version = new SnapshotVersion(1, 0);
    private EntrypointServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        for (String name : List.of("a", "b", "c")) {
            backends.put(name, new Backend(name));
        }
        new HealthGauges(registry, checkers);
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 2, false);
        port = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        checkers.stopAll();
        healthLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        backends.values().forEach(b -> b.http.stop(0));
    }

    private void install(HealthCheck check, String... names) throws Exception {
        install(check, null, names);
    }

    private void install(HealthCheck check, PassiveHealthCheck passive, String... names) throws Exception {
        List<Endpoint> eps = new ArrayList<>();
        for (String name : names) {
            eps.add(Endpoint.ready("127.0.0.1", backends.get(name).port()));
        }
        version = version.next();
        RoutingSnapshot snapshot = new RoutingSnapshot(version, List.of(new Router("r", List.of("web"),
                new RouteMatch.Rule("PathPrefix(`/`)"), 0, List.of(), "svc", null)),
                List.of(new Service.LoadBalancer("svc", eps, Scheme.HTTP, true, Strategy.WRR, null, check, null,
                        passive)),
                List.of(), List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
    }

    private static HealthCheck check() {
        return new HealthCheck("/healthz", 100, 500, null, "health.example", null, null, Map.of("X-Probe", "yes"));
    }

    private Set<String> served(int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            seen.add(response.statusCode() + " " + response.body());
        }
        return seen;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void failingActiveCheckTakesTheEndpointOutUntilItPassesAgain() throws Exception {
        install(check(), "a", "b");
        await(() -> backends.get("a").healthProbes.get() > 0 && backends.get("b").healthProbes.get() > 0);
        assertThat(backends.get("a").probeHeaders.peek()).isEqualTo("health.example yes");
        assertThat(served(6)).containsExactlyInAnyOrder("200 a", "200 b");

        backends.get("a").healthStatus.set(503);
        await(() -> gauge("sluice.upstream.health.checks.failing") == 1);
        assertThat(served(20)).containsExactly("200 b");

        backends.get("a").healthStatus.set(302); // 3xx passes by default
        await(() -> gauge("sluice.upstream.health.checks.failing") == 0);
        assertThat(served(6)).containsExactlyInAnyOrder("200 a", "200 b");
    }

    @Test
    void everyEndpointDownMeansAllAreUsedAndExpectedStatusIsExact() throws Exception {
        install(new HealthCheck("/healthz", 100, 500, null, null, 204), "a", "b");
        await(() -> gauge("sluice.upstream.health.checks.failing") == 2); // they answer 200, not 204
        assertThat(served(6)).containsExactlyInAnyOrder("200 a", "200 b");
    }

    @Test
    void reapplyingKeepsOneCheckerPerEndpointAndRemovedEndpointsStopBeingProbed() throws Exception {
        install(check(), "a", "b");
        await(() -> backends.get("a").healthProbes.get() > 0);
        for (int i = 0; i < 5; i++) {
            install(check(), "a", "b");
        }
        assertThat(gauge("sluice.upstream.health.checks")).isEqualTo(2);
        int before = backends.get("a").healthProbes.get();
        Thread.sleep(1000);
        int perSecond = backends.get("a").healthProbes.get() - before;
        assertThat(perSecond).isBetween(3, 11); // one checker at 100 ms, not six

        install(check(), "b", "c");
        assertThat(gauge("sluice.upstream.health.checks")).isEqualTo(2);
        Thread.sleep(300); // a probe in flight may still land
        int afterRemoval = backends.get("a").healthProbes.get();
        Thread.sleep(500);
        assertThat(backends.get("a").healthProbes.get()).isEqualTo(afterRemoval);
        await(() -> backends.get("c").healthProbes.get() > 0);

        install(null, "b", "c");
        assertThat(gauge("sluice.upstream.health.checks")).isZero();
    }

    @Test
    void consecutiveServerErrorsEjectTheEndpointForTheBackoffThenItIsReadmitted() throws Exception {
        install(null, PASSIVE, "a", "b");
        backends.get("a").trafficStatus.set(500);
        Set<String> first = served(6); // a answers 500 three times, then is ejected
        assertThat(first).containsExactlyInAnyOrder("500 a", "200 b");
        assertThat(gauge("sluice.upstream.endpoints.ejected")).isEqualTo(1);
        assertThat(served(20)).containsExactly("200 b");

        backends.get("a").trafficStatus.set(200);
        Thread.sleep(PASSIVE.failureWindowMillis() + 100);
        assertThat(gauge("sluice.upstream.endpoints.ejected")).isZero();
        assertThat(served(6)).containsExactlyInAnyOrder("200 a", "200 b");
    }

    @Test
    void connectFailuresEjectAnEndpointThatIsNotListening() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        version = version.next();
        RoutingSnapshot snapshot = new RoutingSnapshot(version, List.of(new Router("r", List.of("web"),
                new RouteMatch.Rule("PathPrefix(`/`)"), 0, List.of(), "svc", null)),
                List.of(new Service.LoadBalancer("svc", List.of(Endpoint.ready("127.0.0.1", closedPort),
                        Endpoint.ready("127.0.0.1", backends.get("b").port())), Scheme.HTTP, true, Strategy.WRR,
                        null, null, null, PASSIVE)), List.of(), List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));

        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        for (String outcome : served(6)) {
            counts.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("502 bad gateway\n", "200 b");
        assertThat(served(20)).containsExactly("200 b");
    }

    @Test
    void withoutAPassivePolicyServerErrorsNeverEject() throws Exception {
        install(null, "a", "b");
        backends.get("a").trafficStatus.set(500);
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        for (int i = 0; i < 20; i++) {
            for (String outcome : served(1)) {
                counts.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            }
        }
        assertThat(counts.get("500 a").get()).isEqualTo(10);
        assertThat(gauge("sluice.upstream.endpoints.ejected")).isZero();
    }
}
