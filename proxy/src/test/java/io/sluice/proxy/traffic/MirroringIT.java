package io.sluice.proxy.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.entrypoint.EntrypointServer;
import io.sluice.proxy.entrypoint.EntrypointSettings;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request mirroring through the real proxy: the main backend answers, the mirrors' copies are checked. */
class MirroringIT {
    private final BlockingQueue<String> mainSeen = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> mirrorSeen = new LinkedBlockingQueue<>();
    private final CountDownLatch releaseSlowMirror = new CountDownLatch(1);
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(
            new UpstreamEndpoints(UpstreamSettings.defaults()),
            new UpstreamSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30), 64, 32768),
            new MiddlewareFactory(), new RouterCompiler());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SnapshotVersion version = new SnapshotVersion(1, 0);
    private HttpServer main;
    private HttpServer mirror;
    private HttpServer slowMirror;
    private EntrypointServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        main = backend("main", mainSeen, false);
        mirror = backend("mirror", mirrorSeen, false);
        slowMirror = backend("slow", mirrorSeen, true);
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 2, false);
        port = server.start();
    }

    @AfterEach
    void stop() {
        releaseSlowMirror.countDown();
        server.close();
        main.stop(0);
        mirror.stop(0);
        slowMirror.stop(0);
    }

    private HttpServer backend(String name, BlockingQueue<String> seen, boolean slow) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(name + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("X-Tenant") + " " + body);
            if (slow) {
                try {
                    releaseSlowMirror.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] answer = (name + " answered").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(slow ? 500 : 200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        http.start();
        return http;
    }

    private static Service.LoadBalancer lb(String id, int port) {
        return Service.LoadBalancer.of(id, List.of(Endpoint.ready("127.0.0.1", port)));
    }

    private void install(long maxBodySize, List<Service.MirrorTarget> mirrors, Service... extra) throws Exception {
        version = version.next();
        List<Service> services = new java.util.ArrayList<>(List.of(
                new Service.Mirroring("svc", "main", mirrors, maxBodySize), lb("main", main.getAddress().getPort()),
                lb("mirror", mirror.getAddress().getPort()), lb("slow", slowMirror.getAddress().getPort())));
        services.addAll(List.of(extra));
        RoutingSnapshot snapshot = new RoutingSnapshot(version, List.of(new Router("r", List.of("web"),
                new RouteMatch.Rule("PathPrefix(`/`)"), 0, List.of(), "svc", null)), services, List.of(), List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
    }

    private HttpResponse<String> post(String path, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Tenant", "shop.example").POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyRequestIsCopiedWithItsBodyAndTheMirrorsAnswerIsDropped() throws Exception {
        install(1024, List.of(new Service.MirrorTarget("mirror", 100)));
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = post("/orders?n=" + i, HttpRequest.BodyPublishers.ofString("item " + i));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("main answered");
            assertThat(mainSeen.poll(5, TimeUnit.SECONDS)).isEqualTo("main POST /orders?n=" + i + " shop.example item " + i);
            assertThat(mirrorSeen.poll(5, TimeUnit.SECONDS))
                    .isEqualTo("mirror POST /orders?n=" + i + " shop.example item " + i);
        }
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/plain")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.body()).isEqualTo("main answered");
        assertThat(mirrorSeen.poll(5, TimeUnit.SECONDS)).startsWith("mirror GET /plain ");
    }

    @Test
    void bodiesOverTheLimitAreNotMirroredDeclaredOrStreamed() throws Exception {
        install(100, List.of(new Service.MirrorTarget("mirror", 100)));
        String big = "x".repeat(500);
        assertThat(post("/big", HttpRequest.BodyPublishers.ofString(big)).body()).isEqualTo("main answered");
        // chunked: no declared length, the limit is found while streaming
        byte[][] parts = {big.getBytes(StandardCharsets.UTF_8)};
        HttpResponse<String> chunked = post("/chunked", HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofByteArrays(List.of(parts))));
        assertThat(chunked.body()).isEqualTo("main answered");
        assertThat(post("/small", HttpRequest.BodyPublishers.ofString("tiny")).body()).isEqualTo("main answered");
        assertThat(mirrorSeen.poll(5, TimeUnit.SECONDS)).isEqualTo("mirror POST /small shop.example tiny");
        assertThat(mirrorSeen).isEmpty();
        assertThat(mainSeen).hasSize(3);
    }

    @Test
    void aSlowFailingOrDeadMirrorNeverDelaysOrFailsTheMainExchange() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        install(-1, List.of(new Service.MirrorTarget("slow", 100), new Service.MirrorTarget("dead", 100),
                new Service.MirrorTarget("mirror", 0)), lb("dead", deadPort));
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = post("/fast", HttpRequest.BodyPublishers.ofString("b"));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("main answered");
            assertThat(millis).isLessThan(1000);
        }
        assertThat(mirrorSeen.poll(5, TimeUnit.SECONDS)).startsWith("slow POST /fast");
        assertThat(mirrorSeen.stream().filter(s -> s.startsWith("mirror"))).isEmpty(); // percent 0
    }
}
