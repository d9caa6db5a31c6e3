package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server-Sent Events are flushed as produced; upstream keep-alive connections are reused. */
class StreamingIT {
    private final CountDownLatch releaseSecondEvent = new CountDownLatch(1);
    private final CountDownLatch releaseBody = new CountDownLatch(1);
    private final Set<Integer> backendPeerPorts = ConcurrentHashMap.newKeySet();
    private HttpServer backend;
    private EntrypointServer server;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private int port;

    @BeforeEach
    void start() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newFixedThreadPool(4));
        backend.createContext("/events", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                releaseSecondEvent.await(10, TimeUnit.SECONDS);
                out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        backend.createContext("/slow-body", exchange -> {
            exchange.sendResponseHeaders(200, 4);
            try (OutputStream out = exchange.getResponseBody()) {
                out.flush();
                releaseBody.await(10, TimeUnit.SECONDS);
                out.write("body".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        backend.createContext("/", exchange -> {
            backendPeerPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        backend.start();
        ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
        UpstreamEndpoints endpoints = new UpstreamEndpoints(UpstreamSettings.defaults());
        new io.sluice.proxy.upstream.UpstreamGauges(registry, endpoints);
        DataPlaneCompiler compiler = new DataPlaneCompiler(endpoints,
                UpstreamSettings.defaults(), new MiddlewareFactory(), new RouterCompiler());
        SnapshotVersion version = new SnapshotVersion(1, 1);
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(new RoutingSnapshot(version,
                List.of(new Router("all", List.of(), new RouteMatch.Rule("PathPrefix(`/`)"), 0, List.of(), "svc",
                        null)),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("127.0.0.1",
                        backend.getAddress().getPort())))), List.of(), List.of()))));
        // one event loop, so every request shares one upstream pool
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                registry, 1, true);
        port = server.start();
    }

    @AfterEach
    void stop() {
        releaseSecondEvent.countDown();
        releaseBody.countDown();
        server.close();
        backend.stop(0);
    }

    @Test
    void serverSentEventsArriveBeforeTheStreamEnds() throws Exception {
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).isEqualTo("data: first"); // backend is still holding the stream open
            releaseSecondEvent.countDown();
            assertThat(reader.readLine()).isEmpty();
            assertThat(reader.readLine()).isEqualTo("data: second");
        }
    }

    /** A head is held back only to go out with a body that came in the same read, never to wait for one. */
    @Test
    void aResponseHeadReachesTheClientWhileTheBackendStillHoldsItsBody() throws Exception {
        HttpResponse<java.io.InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .build().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow-body"))
                        .build(), HttpResponse.BodyHandlers.ofInputStream())
                .get(5, TimeUnit.SECONDS); // complete once the head arrived
        assertThat(releaseBody.getCount()).isEqualTo(1);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length")).hasValue("4");
        releaseBody.countDown();
        try (java.io.InputStream body = response.body()) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("body");
        }
    }

    @Test
    void sequentialRequestsReuseOneUpstreamConnection() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("ok");
        }
        assertThat(backendPeerPorts).hasSize(1);
        assertThat(registry.get("sluice.upstream.connections.open").gauge().value()).isEqualTo(1.0);
        // the exchange is recorded just after its last byte is flushed: the client may read it first
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(registry.get("sluice.requests").tag("status_class", "2xx").counter().count())
                        .isEqualTo(20.0));
        assertThat(registry.get("sluice.bytes.out").counter().count()).isGreaterThan(20 * 2);
    }
}
