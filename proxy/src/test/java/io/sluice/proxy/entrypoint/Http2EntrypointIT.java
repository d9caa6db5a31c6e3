package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http2.Http2Error;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.testing.H2TestClient;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP/2 on the cleartext entrypoint: prior knowledge, {@code Upgrade: h2c}, HTTP/1.1 alongside, limits. */
class Http2EntrypointIT {
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final AtomicInteger backendHits = new AtomicInteger();
    private HttpServer backend;
    private EntrypointServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newFixedThreadPool(8));
        backend.createContext("/", exchange -> {
            backendHits.incrementAndGet();
            long count = 0;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) > 0; ) {
                    count += n;
                }
            }
            boolean bookkeeping = exchange.getRequestHeaders().keySet().stream()
                    .anyMatch(name -> name.toLowerCase().startsWith("x-http2"));
            byte[] body = (exchange.getRequestMethod() + " " + exchange.getRequestURI() + " host="
                    + exchange.getRequestHeaders().getFirst("Host") + " proto="
                    + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto") + " x-http2=" + bookkeeping
                    + " len=" + count).getBytes(StandardCharsets.UTF_8);
            if (exchange.getRequestURI().getPath().equals("/close")) {
                exchange.getResponseHeaders().set("Connection", "close");
                exchange.getResponseHeaders().set("Keep-Alive", "timeout=5");
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        backend.start();
        DataPlaneCompiler compiler = new DataPlaneCompiler(new UpstreamEndpoints(UpstreamSettings.defaults()),
                UpstreamSettings.defaults(), new MiddlewareFactory(), new RouterCompiler());
        SnapshotVersion version = new SnapshotVersion(1, 1);
        RoutingSnapshot snapshot = new RoutingSnapshot(version,
                List.of(new Router("app", List.of("web"), new RouteMatch.Rule("Host(`app.test`)"), 0, List.of(),
                        "svc", null),
                        new Router("up", List.of("web"), new RouteMatch.Rule("PathPrefix(`/up`)"), 0, List.of(),
                        "svc", null)),
                List.of(Service.LoadBalancer.of("svc",
                        List.of(Endpoint.ready("127.0.0.1", backend.getAddress().getPort())))),
                List.of(), List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
        startProxy(Http2Limits.defaults(8).withResets(20, Duration.ofSeconds(30)));
    }

    private void startProxy(Http2Limits limits) throws InterruptedException {
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 2, false, null, limits);
        port = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        backend.stop(0);
    }

    @Test
    void priorKnowledgeRequestsAreProxiedAsConcurrentStreamsOnOneConnection() throws Exception {
        try (H2TestClient client = H2TestClient.cleartext(port)) {
            List<CompletableFuture<H2TestClient.Response>> responses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                responses.add(client.send(H2TestClient.get("app.test", "/item/" + i + "?q=1"), null));
            }
            for (int i = 0; i < 6; i++) {
                H2TestClient.Response response = responses.get(i).get(10, TimeUnit.SECONDS);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.text())
                        .isEqualTo("GET /item/" + i + "?q=1 host=app.test proto=http x-http2=false len=0");
            }
        }
    }

    @Test
    void requestBodiesStreamToTheBackend() throws Exception {
        byte[] body = new byte[300_000];
        try (H2TestClient client = H2TestClient.cleartext(port)) {
            H2TestClient.Response response = client.send(H2TestClient.get("app.test", "/upload").method("POST"),
                    body).get(10, TimeUnit.SECONDS);
            assertThat(response.text()).isEqualTo("POST /upload host=app.test proto=http x-http2=false len=300000");
        }
    }

    @Test
    void connectionHeadersOfTheBackendDoNotLeakIntoHttp2Responses() throws Exception {
        try (H2TestClient client = H2TestClient.cleartext(port)) {
            for (int i = 0; i < 3; i++) {
                H2TestClient.Response response = client.get(H2TestClient.get("app.test", "/close"));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.headers().contains("connection")).isFalse();
                assertThat(response.headers().contains("keep-alive")).isFalse();
                assertThat(response.headers().contains("transfer-encoding")).isFalse();
            }
            assertThat(client.connection().isActive()).as("the connection outlives Connection: close").isTrue();
        }
    }

    @Test
    void proxyAnswersKeepTheirStatusOverHttp2() throws Exception {
        try (H2TestClient client = H2TestClient.cleartext(port)) {
            H2TestClient.Response response = client.get(H2TestClient.get("other.test", "/"));
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.headers().contains("connection")).isFalse();
            assertThat(client.get(H2TestClient.get("app.test", "/after")).status()).isEqualTo(200);
        }
    }

    @Test
    void h2cUpgradeFromHttp11AndPlainHttp11KeepWorking() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = h2.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/up/" + i)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).isEqualTo("GET /up/" + i + " host=127.0.0.1:" + port
                    + " proto=http x-http2=false len=0");
        }
        HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> plain = h1.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/up"))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(plain.body()).isEqualTo("POST /up host=127.0.0.1:" + port + " proto=http x-http2=false len=5");
    }

    @Test
    void malformedRequestsAreResetAndNeverReachTheBackend() throws Exception {
        try (H2TestClient client = H2TestClient.cleartext(port)) {
            // a connection-specific header is malformed in HTTP/2 (RFC 9113 section 8.2.2)
            assertThatThrownBy(() -> client.get(H2TestClient.get("app.test", "/").add("connection", "close")))
                    .hasCauseInstanceOf(H2TestClient.StreamResetException.class);
            // no :path (RFC 9113 section 8.3.1)
            assertThat(refused(client, new io.netty.handler.codec.http2.DefaultHttp2Headers(false).method("GET")
                    .scheme("http").authority("app.test"))).isTrue();
            // upper-case field name
            assertThatThrownBy(() -> client.get(H2TestClient.get("app.test", "/").add("X-Upper", "1")))
                    .hasCauseInstanceOf(H2TestClient.StreamResetException.class);
            assertThat(client.get(H2TestClient.get("app.test", "/fine")).status()).isEqualTo(200);
        }
        assertThat(backendHits.get()).isEqualTo(1);
    }

    @Test
    void oversizedHeaderListsGet431AndNeverReachTheBackend() throws Exception {
        try (H2TestClient client = H2TestClient.cleartext(port)) {
            // the limit: 16 KiB of header bytes plus 32 per field for 100 fields (19584)
            H2TestClient.Response response = client.get(H2TestClient.get("app.test", "/big")
                    .add("x-big", "a".repeat(21_000)));
            assertThat(response.status()).isEqualTo(431);
            assertThat(client.get(H2TestClient.get("app.test", "/small")).status()).isEqualTo(200);
        }
        assertThat(backendHits.get()).isEqualTo(1);
    }

    @Test
    void rapidResetClosesThatConnectionWithGoAwayWhileOthersAreServed() throws Exception {
        try (H2TestClient attacker = H2TestClient.cleartext(port); H2TestClient other = H2TestClient.cleartext(port)) {
            assertThat(other.get(H2TestClient.get("app.test", "/before")).status()).isEqualTo(200);
            // one over the limit and no more: a client still sending when the server closes gets a TCP reset,
            // which may overtake the GOAWAY
            attacker.rapidReset(H2TestClient.get("app.test", "/slow"), 21);
            assertThat(attacker.goAway().get(10, TimeUnit.SECONDS))
                    .isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
            attacker.connection().closeFuture().await(10, TimeUnit.SECONDS);
            assertThat(attacker.connection().isActive()).isFalse();
            assertThat(other.get(H2TestClient.get("app.test", "/after")).status()).isEqualTo(200);
        }
    }

    @Test
    void moreStreamsThanTheLimitAreRefused() throws Exception {
        try (H2TestClient client = H2TestClient.cleartext(port)) {
            client.get(H2TestClient.get("app.test", "/warm")); // SETTINGS exchanged
            assertThat(client.connection().pipeline().get(io.netty.handler.codec.http2.Http2FrameCodec.class)
                    .connection().local().maxActiveStreams()).isEqualTo(8);
        }
    }

    @Test
    void drainSendsGoAwayAndLetsOpenStreamsFinish() throws Exception {
        try (H2TestClient client = H2TestClient.cleartext(port)) {
            assertThat(client.get(H2TestClient.get("app.test", "/before")).status()).isEqualTo(200);
            CompletableFuture<Void> drained = server.drain();
            assertThat(client.goAway().get(5, TimeUnit.SECONDS)).isEqualTo(Http2Error.NO_ERROR.code());
            drained.get(5, TimeUnit.SECONDS);
            assertThat(server.openConnections()).isZero();
        }
    }

    /** Reset, or answered 400, and in either case not proxied. */
    private static boolean refused(H2TestClient client, io.netty.handler.codec.http2.Http2Headers headers)
            throws Exception {
        try {
            return client.get(headers).status() == 400;
        } catch (ExecutionException e) {
            return e.getCause() instanceof H2TestClient.StreamResetException;
        }
    }
}
