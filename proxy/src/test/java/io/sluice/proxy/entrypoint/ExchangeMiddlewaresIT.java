package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.github.luben.zstd.Zstd;
import com.sun.net.httpserver.HttpExchange;
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
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Strategy;
import io.sluice.snapshot.Timeouts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * inFlightReq, circuitBreaker, compress and buffering through the real proxy on 127.0.0.1, against real backends
 * that are slow, fail with 500s, refuse connections, or send bodies of chosen sizes.
 */
class ExchangeMiddlewaresIT {
    private static final String TEXT = "the quick brown fox jumps over the lazy dog. ".repeat(120); // 5400 bytes

    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(
            new UpstreamEndpoints(UpstreamSettings.defaults()), UpstreamSettings.defaults(),
            new MiddlewareFactory(), new RouterCompiler());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final AtomicInteger backendHits = new AtomicInteger();
    private final AtomicInteger breakerHits = new AtomicInteger();
    private final List<String> receivedBodies = new ArrayList<>();
    private HttpServer backend;
    private EntrypointServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newCachedThreadPool());
        backend.createContext("/", this::serve);
        backend.start();
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 1, false);
        port = server.start();

        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            deadPort = s.getLocalPort();
        }
        Endpoint live = Endpoint.ready("127.0.0.1", backend.getAddress().getPort());
        SnapshotVersion version = new SnapshotVersion(1, 1);
        RoutingSnapshot snapshot = new RoutingSnapshot(version,
                List.of(rule("inflight", "PathPrefix(`/inflight`)", "svc", "one-at-a-time"),
                        rule("inflight-dead", "PathPrefix(`/dead/inflight`)", "dead", "one-at-a-time"),
                        rule("inflight-timeout", "PathPrefix(`/timeout/inflight`)", "impatient", "one-at-a-time"),
                        rule("breaker", "PathPrefix(`/breaker`)", "svc", "five-hundreds"),
                        rule("net-breaker", "PathPrefix(`/dead/breaker`)", "dead", "network-errors"),
                        rule("compressed", "PathPrefix(`/z`)", "svc", "compress"),
                        rule("gzip-default", "PathPrefix(`/gz`)", "svc", "gzip-default"),
                        rule("plain", "PathPrefix(`/plain`)", "svc", null),
                        rule("buffered", "PathPrefix(`/buf`)", "svc", "buffer")),
                List.of(Service.LoadBalancer.of("svc", List.of(live)),
                        Service.LoadBalancer.of("dead", List.of(Endpoint.ready("127.0.0.1", deadPort))),
                        new Service.LoadBalancer("impatient", List.of(live), Scheme.HTTP, true, Strategy.WRR,
                                null, null, new Timeouts(null, 300L, null))),
                List.of(new Middleware("one-at-a-time", new MiddlewareSpec.InFlightReq(1, null)),
                        new Middleware("five-hundreds", new MiddlewareSpec.CircuitBreaker(
                                "ResponseCodeRatio(500, 600, 0, 600) > 0.25", 50, 60_000, 1_000, 0)),
                        new Middleware("network-errors", new MiddlewareSpec.CircuitBreaker(
                                "NetworkErrorRatio() > 0.5", 50, 60_000, 1_000, 529)),
                        new Middleware("compress", new MiddlewareSpec.Compress(List.of(), List.of(), 0,
                                List.of(), null)),
                        new Middleware("gzip-default", new MiddlewareSpec.Compress(List.of("image/png"), List.of(),
                                0, List.of("gzip"), "gzip")),
                        new Middleware("buffer", new MiddlewareSpec.Buffering(1000, 1000, 3000, 3000))),
                List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
    }

    @AfterEach
    void stop() {
        releaseSlow.countDown();
        server.close();
        backend.stop(0);
    }

    private static Router rule(String id, String rule, String service, String middleware) {
        return new Router(id, List.of("web"), new RouteMatch.Rule(rule), 0,
                middleware == null ? List.of() : List.of(middleware), service, null);
    }

    private void serve(HttpExchange exchange) throws java.io.IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] request = exchange.getRequestBody().readAllBytes();
        if (path.startsWith("/breaker")) {
            breakerHits.incrementAndGet();
        }
        if (path.startsWith("/buf")) {
            backendHits.incrementAndGet();
            synchronized (receivedBodies) {
                receivedBodies.add(request.length + " bytes, content-length="
                        + exchange.getRequestHeaders().getFirst("Content-Length"));
            }
        }
        int status = 200;
        byte[] body;
        String type = "text/plain; charset=utf-8";
        if (path.endsWith("/slow")) {
            try {
                releaseSlow.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            body = "slow".getBytes(StandardCharsets.UTF_8);
        } else if (path.endsWith("/fail")) {
            status = 500;
            body = "failed".getBytes(StandardCharsets.UTF_8);
        } else if (path.endsWith("/big")) {
            body = TEXT.getBytes(StandardCharsets.UTF_8);
        } else if (path.endsWith("/png")) {
            type = "image/png";
            body = TEXT.getBytes(StandardCharsets.UTF_8);
        } else if (path.endsWith("/size")) {
            body = TEXT.substring(0, Integer.parseInt(exchange.getRequestURI().getQuery()))
                    .getBytes(StandardCharsets.UTF_8);
        } else if (path.endsWith("/pre-encoded")) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
                out.write(TEXT.getBytes(StandardCharsets.UTF_8));
            }
            body = gz.toByteArray();
        } else if (path.endsWith("/range")) {
            status = 206;
            exchange.getResponseHeaders().set("Content-Range", "bytes 0-4999/5400");
            body = TEXT.substring(0, 5000).getBytes(StandardCharsets.UTF_8);
        } else {
            body = "ok".getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(body);
            }
        }
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private CompletableFuture<HttpResponse<byte[]>> getAsync(String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    // --- inFlightReq

    @Test
    void inFlightReqRefusesTheSecondConcurrentRequestAndAdmitsOnceTheFirstEnds() throws Exception {
        CompletableFuture<HttpResponse<byte[]>> slow = getAsync("/inflight/slow");
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/inflight/ok").statusCode() == 429);
        releaseSlow.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(get("/inflight/ok").statusCode()).isEqualTo(200);
    }

    @Test
    void inFlightReqFreesTheSlotWhenTheClientGoesAway() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("GET /inflight/slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> get("/inflight/ok").statusCode() == 429);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/inflight/ok").statusCode() == 200);
    }

    @Test
    void inFlightReqFreesTheSlotAfterUpstreamFailuresAndTimeouts() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/dead/inflight").statusCode()).as("connection refused, then the slot is free")
                    .isEqualTo(502);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(get("/timeout/inflight/slow").statusCode()).isEqualTo(504);
        }
        assertThat(get("/inflight/ok").statusCode()).isEqualTo(200);
    }

    // --- circuitBreaker

    @Test
    void circuitBreakerOpensOnServerErrorsAndAnswersWithoutReachingTheBackend() throws Exception {
        assertThat(get("/breaker/fail").statusCode()).isEqualTo(500);
        Thread.sleep(60); // one check period
        HttpResponse<byte[]> fallback = get("/breaker/ok");
        assertThat(fallback.statusCode()).isEqualTo(503);
        assertThat(get("/breaker/ok").statusCode()).as("open for the fallback duration").isEqualTo(503);
        assertThat(breakerHits).as("only the failed request reached the backend").hasValue(1);
        assertThat(get("/plain/ok").statusCode()).as("other routes are unaffected").isEqualTo(200);
    }

    @Test
    void circuitBreakerOpensOnNetworkErrorsWithTheConfiguredResponseCode() throws Exception {
        assertThat(get("/dead/breaker").statusCode()).isEqualTo(502);
        Thread.sleep(60);
        assertThat(get("/dead/breaker").statusCode()).isEqualTo(529);
    }

    // --- compress

    @Test
    void compressUsesTheBestEncodingTheClientAccepts() throws Exception {
        HttpResponse<byte[]> zstd = get("/z/big", "Accept-Encoding", "gzip, br, zstd");
        assertThat(zstd.headers().firstValue("Content-Encoding")).hasValue("zstd");
        assertThat(zstd.headers().allValues("Vary")).contains("Accept-Encoding");
        assertThat(zstd.body().length).isLessThan(TEXT.length() / 5);
        assertThat(new String(Zstd.decompress(zstd.body(), TEXT.length()), StandardCharsets.UTF_8)).isEqualTo(TEXT);

        HttpResponse<byte[]> br = get("/z/big", "Accept-Encoding", "gzip;q=0.5, br");
        assertThat(br.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(new String(Decoder.decompress(br.body()).getDecompressedData(), StandardCharsets.UTF_8))
                .isEqualTo(TEXT);

        HttpResponse<byte[]> gzip = get("/z/big", "Accept-Encoding", "gzip");
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(gzip.body())).isEqualTo(TEXT);

        HttpResponse<byte[]> identity = get("/z/big");
        assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(text(identity)).isEqualTo(TEXT);
    }

    @Test
    void compressLeavesAloneWhatItShould() throws Exception {
        HttpResponse<byte[]> small = get("/z/size?100", "Accept-Encoding", "gzip");
        assertThat(small.headers().firstValue("Content-Encoding")).as("below 1024 bytes").isEmpty();
        assertThat(text(small)).hasSize(100);

        HttpResponse<byte[]> pre = get("/z/pre-encoded", "Accept-Encoding", "gzip, zstd");
        assertThat(pre.headers().allValues("Content-Encoding")).containsExactly("gzip");
        assertThat(gunzip(pre.body())).as("not compressed twice").isEqualTo(TEXT);

        HttpResponse<byte[]> range = get("/z/range", "Accept-Encoding", "gzip");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(range.body()).hasSize(5000);

        HttpResponse<Void> head = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/z/big")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Encoding")).isEmpty();

        HttpResponse<byte[]> png = get("/gz/png", "Accept-Encoding", "gzip");
        assertThat(png.headers().firstValue("Content-Encoding")).as("excluded type").isEmpty();

        HttpResponse<byte[]> otherRoute = get("/plain/big", "Accept-Encoding", "gzip");
        assertThat(otherRoute.headers().firstValue("Content-Encoding")).as("route without compress").isEmpty();
        assertThat(otherRoute.headers().firstValue("Vary")).isEmpty();
        assertThat(text(otherRoute)).isEqualTo(TEXT);
    }

    @Test
    void compressDefaultEncodingAppliesWithoutAcceptEncodingAndKeepAliveKeepsWorking() throws Exception {
        for (int i = 0; i < 3; i++) { // one connection, alternating compressed and plain responses
            HttpResponse<byte[]> defaulted = get("/gz/big");
            assertThat(defaulted.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gunzip(defaulted.body())).isEqualTo(TEXT);
            assertThat(text(get("/plain/big", "Accept-Encoding", "gzip"))).isEqualTo(TEXT);
            assertThat(get("/nowhere", "Accept-Encoding", "gzip").statusCode()).isEqualTo(404);
        }
    }

    private static String gunzip(byte[] body) throws Exception {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // --- buffering

    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String chunked(int... sizes) {
        StringBuilder body = new StringBuilder();
        for (int size : sizes) {
            body.append(Integer.toHexString(size)).append("\r\n").append("x".repeat(size)).append("\r\n");
        }
        return body.append("0\r\n\r\n").toString();
    }

    @Test
    void bufferingRefusesOversizedRequestBodiesBeforeTheBackendSeesThem() throws Exception {
        String declared = raw("POST /buf/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1500\r\n\r\n"
                + "x".repeat(1500));
        assertThat(declared).startsWith("HTTP/1.1 413");
        String streamed = raw("POST /buf/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunked(400, 400, 400));
        assertThat(streamed).startsWith("HTTP/1.1 413");
        assertThat(backendHits).hasValue(0);
    }

    @Test
    void bufferingForwardsAChunkedBodyWholeWithItsLength() throws Exception {
        String response = raw("POST /buf/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n" + chunked(300, 300, 300));
        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(receivedBodies).containsExactly("900 bytes, content-length=900");
    }

    @Test
    void bufferingReplacesAnOversizedResponseWithA500AndSendsOthersWhole() throws Exception {
        HttpResponse<byte[]> tooBig = get("/buf/big");
        assertThat(tooBig.statusCode()).isEqualTo(500);
        assertThat(text(tooBig)).doesNotContain("quick brown fox");
        HttpResponse<byte[]> fits = get("/buf/size?2900");
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(text(fits)).isEqualTo(TEXT.substring(0, 2900));
        assertThat(get("/buf/big").statusCode()).as("the connection is still usable").isEqualTo(500);
    }
}
