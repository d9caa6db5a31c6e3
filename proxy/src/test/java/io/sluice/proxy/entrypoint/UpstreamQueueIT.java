package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.testing.H2TestClient;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamGauges;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.io.OutputStream;
import java.net.InetAddress;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests over the per-endpoint connection limit wait in the endpoint's queue: real entrypoint on 127.0.0.1,
 * real JDK HTTP client, a raw-socket backend that counts its connections and the requests it answers at once.
 */
class UpstreamQueueIT {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private EntrypointServer server;
    private ScriptedBackend backend;
    private UpstreamEndpoints endpoints;
    private int port;

    /** A backend answering every request after {@code delayMillis}, behind a proxy with these limits. */
    private void start(long delayMillis, int eventLoops, int limit, int queue, Duration queueTimeout)
            throws Exception {
        backend = new ScriptedBackend((connection, request, head) -> {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "ok";
        });
        UpstreamSettings upstream = new UpstreamSettings(Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofSeconds(30), limit, 32768, queue, queueTimeout);
        endpoints = new UpstreamEndpoints(upstream);
        new UpstreamGauges(registry, endpoints);
        DataPlaneCompiler compiler = new DataPlaneCompiler(endpoints, upstream, new MiddlewareFactory(),
                new RouterCompiler());
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                registry, eventLoops, false, null, Http2Limits.defaults(8));
        port = server.start();
        SnapshotVersion version = new SnapshotVersion(1, 1);
        RoutingSnapshot snapshot = new RoutingSnapshot(version,
                List.of(new Router("r", List.of("web"), new RouteMatch.Rule("PathPrefix(`/r`)"), 0, List.of(), "svc",
                        null)),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("127.0.0.1", backend.port())))),
                List.of(), List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
        warmUp();
    }

    /** Unrouted requests (404 from the proxy itself), so that timings below do not include a cold client. */
    private void warmUp() {
        for (int i = 0; i < 10; i++) {
            client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/warm-up")).build(),
                    HttpResponse.BodyHandlers.discarding()).join();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** One request per call, each on its own client connection; completes with status, body and time taken. */
    private List<CompletableFuture<Timed>> concurrently(int count) {
        List<CompletableFuture<Timed>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/r" + i))
                    .timeout(Duration.ofSeconds(30)).build();
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Timed(r.statusCode(), r.body(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))));
        }
        return answers;
    }

    private static List<Timed> all(List<CompletableFuture<Timed>> answers) {
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private record Timed(int status, String body, long millis) {
    }

    private double queued() {
        return registry.get("sluice.upstream.requests.queued").gauge().value();
    }

    private double rejected(String reason) {
        return registry.get("sluice.upstream.queue.rejected").tag("reason", reason).functionCounter().count();
    }

    private double answered(String reason) {
        return registry.find("sluice.proxy.answers").tag("reason", reason).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static void eventually(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void tenSlowRequestsOverALimitOfTwoAllSucceedOnTwoConnections() throws Exception {
        start(300, 1, 2, 100, Duration.ofSeconds(10));

        List<CompletableFuture<Timed>> answers = concurrently(10);
        eventually(() -> queued() > 0, "requests to queue");
        List<Timed> done = all(answers);

        assertThat(done).extracting(Timed::status).containsOnly(200);
        assertThat(done).extracting(Timed::body).containsOnly("ok");
        assertThat(backend.connections()).as("connections the backend ever accepted").isEqualTo(2);
        assertThat(backend.maxRequestsInFlight()).isEqualTo(2);
        assertThat(done.stream().mapToLong(Timed::millis).max().orElseThrow())
                .as("five rounds of 300 ms on two connections").isGreaterThanOrEqualTo(1400);
        assertThat(queued()).isZero();
        assertThat(rejected("full") + rejected("timeout")).isZero();
    }

    @Test
    void requestsBeyondTheQueueLengthGet503AtOnce() throws Exception {
        start(1000, 1, 2, 3, Duration.ofSeconds(10));

        List<Timed> done = all(concurrently(10));

        List<Timed> refused = done.stream().filter(t -> t.status() == 503).toList();
        assertThat(done.stream().filter(t -> t.status() == 200)).hasSize(5);
        assertThat(refused).hasSize(5);
        assertThat(refused).extracting(Timed::body).containsOnly("upstream queue full\n");
        long firstServed = done.stream().filter(t -> t.status() == 200).mapToLong(Timed::millis).min().orElseThrow();
        assertThat(firstServed).isGreaterThanOrEqualTo(1000);
        assertThat(refused).allSatisfy(t -> assertThat(t.millis()).as("refused without waiting")
                .isLessThan(firstServed));
        assertThat(rejected("full")).isEqualTo(5);
        assertThat(answered("upstream-queue-full")).isEqualTo(5);
        assertThat(backend.maxOpenConnections()).isLessThanOrEqualTo(2);
    }

    @Test
    void aRequestWaitingLongerThanTheQueueTimeoutGets503() throws Exception {
        start(3000, 1, 1, 10, Duration.ofMillis(500));
        List<CompletableFuture<Timed>> first = concurrently(1);
        eventually(() -> backend.heads().size() == 1, "the first request to reach the backend");

        Timed waited = all(concurrently(1)).get(0);

        assertThat(waited.status()).isEqualTo(503);
        assertThat(waited.body()).isEqualTo("upstream queue timeout\n");
        assertThat(waited.millis()).isBetween(450L, 2500L);
        assertThat(rejected("timeout")).isEqualTo(1);
        assertThat(all(first).get(0).status()).isEqualTo(200);
    }

    @Test
    void aClientThatDisconnectsWhileQueuedFreesItsPlace() throws Exception {
        start(1500, 1, 1, 1, Duration.ofSeconds(10));
        List<CompletableFuture<Timed>> first = concurrently(1);
        eventually(() -> backend.heads().size() == 1, "the first request to reach the backend");

        try (Socket leaving = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = leaving.getOutputStream();
            out.write("GET /r-leaving HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            eventually(() -> queued() == 1, "the raw client to queue");
        }
        eventually(() -> queued() == 0, "the closed client to leave the queue");

        Timed next = all(concurrently(1)).get(0);

        assertThat(next.status()).as("the place was free again").isEqualTo(200);
        assertThat(rejected("full")).isZero();
        assertThat(all(first).get(0).status()).isEqualTo(200);
        assertThat(backend.heads()).noneMatch(h -> h.startsWith("GET /r-leaving"));
    }

    @Test
    void anHttp2StreamResetWhileQueuedFreesItsPlace() throws Exception {
        start(1500, 1, 1, 1, Duration.ofSeconds(10));
        List<CompletableFuture<Timed>> first = concurrently(1);
        eventually(() -> backend.heads().size() == 1, "the first request to reach the backend");

        try (H2TestClient h2 = H2TestClient.cleartext(port)) {
            Http2StreamChannel stream = new Http2StreamChannelBootstrap(h2.connection())
                    .handler(new ChannelInboundHandlerAdapter()).open().syncUninterruptibly().getNow();
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(H2TestClient.get("x", "/r-reset"), true));
            eventually(() -> queued() == 1, "the HTTP/2 stream to queue");

            stream.close().syncUninterruptibly(); // RST_STREAM CANCEL
            eventually(() -> queued() == 0, "the reset stream to leave the queue");
        }

        assertThat(all(concurrently(1)).get(0).status()).as("the place was free again").isEqualTo(200);
        assertThat(all(first).get(0).status()).isEqualTo(200);
        assertThat(backend.heads()).noneMatch(h -> h.startsWith("GET /r-reset"));
    }

    @Test
    void requestsOnDifferentEventLoopsAllComplete() throws Exception {
        start(200, 2, 2, 100, Duration.ofSeconds(10));

        List<Timed> done = all(concurrently(12));

        assertThat(done).extracting(Timed::status).containsOnly(200);
        assertThat(backend.maxRequestsInFlight()).isLessThanOrEqualTo(2);
        assertThat(endpoints.all()).allSatisfy(e -> {
            assertThat(e.openConnections()).isLessThanOrEqualTo(2);
            assertThat(e.queued()).isZero();
        });
        // a connection is released just after the last response byte is written: allow for that
        eventually(() -> endpoints.all().stream().allMatch(e -> e.outstanding() == 0), "no request outstanding");
    }

    @Test
    void withoutAQueueTheLimitAnswers503AtOnce() throws Exception {
        start(1000, 1, 1, 0, Duration.ofSeconds(10));

        List<Timed> done = all(concurrently(3));

        assertThat(done.stream().filter(t -> t.status() == 200)).hasSize(1);
        assertThat(done.stream().filter(t -> t.status() == 503))
                .hasSize(2)
                .allSatisfy(t -> assertThat(t.body()).isEqualTo("upstream connection limit\n"));
        assertThat(answered("upstream-limit")).isEqualTo(2);
        assertThat(registry.find("sluice.upstream.queue.rejected").functionCounters())
                .as("refused before queueing: not a queue rejection")
                .extracting(c -> c.getId().getTag("reason"), c -> c.count())
                .containsExactlyInAnyOrder(tuple("full", 0.0), tuple("timeout", 0.0), tuple("removed", 0.0));
    }
}
