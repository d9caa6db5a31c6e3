package io.sluice.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.entrypoint.EntrypointServer;
import io.sluice.proxy.entrypoint.EntrypointSettings;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Strategy;
import io.sluice.snapshot.UpstreamTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code https} services whose backends negotiate the protocol in ALPN (a Netty TLS backend that answers with the
 * protocol that carried each request): h2 is multiplexed over one connection per event loop, http/1.1 is pooled,
 * {@code disableHttp2} keeps HTTP/1.1, WebSocket upgrades stay HTTP/1.1, and a failed verification is still a 502
 * with reason {@code upstream-tls}.
 */
class UpstreamHttp2TlsIT {
    private static final String HOST = "backend.shop.svc.cluster.local";
    private static UpstreamTestPki pki;
    private static UpstreamTestPki otherCa;
    private static UpstreamTestPki.Issued leaf;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(
            new UpstreamEndpoints(UpstreamSettings.defaults()),
            new UpstreamSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30), 64, 32768),
            new MiddlewareFactory(), new RouterCompiler());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private AlpnTestBackend backend;
    private EntrypointServer server;
    private int port;

    @BeforeAll
    static void pki() throws Exception {
        pki = new UpstreamTestPki("backend-ca");
        otherCa = new UpstreamTestPki("unrelated-ca");
        leaf = pki.issue(HOST);
    }

    /** A backend, and a proxy with one event loop routing everything to it with these TLS settings. */
    private void start(long delayMillis, UpstreamTls tls, String... protocols) throws Exception {
        backend = new AlpnTestBackend(leaf, delayMillis, protocols);
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                registry, 1, false);
        port = server.start();
        SnapshotVersion version = new SnapshotVersion(1, 1);
        Service.LoadBalancer service = new Service.LoadBalancer("backend",
                List.of(Endpoint.ready("127.0.0.1", backend.port())), Scheme.HTTPS, true, Strategy.WRR, null, null,
                null, null, tls);
        RoutingSnapshot snapshot = new RoutingSnapshot(version, List.of(new Router("r", List.of("web"),
                new RouteMatch.Rule("PathPrefix(`/`)"), 0, List.of(), "backend", null)), List.of(service), List.of(),
                List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
    }

    private static UpstreamTls trusting(UpstreamTestPki ca, boolean disableHttp2) {
        return new UpstreamTls(HOST, false, List.of(ca.ca.certificatePem()), null, disableHttp2);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void backendSelectingH2IsSpokenToInHttp2() throws Exception {
        start(0, trusting(pki, false), "h2", "http/1.1");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = get("/orders/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("h2 /orders/" + i);
        }
        assertThat(backend.connections()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsToAnH2BackendShareOneConnection() throws Exception {
        start(300, trusting(pki, false), "h2", "http/1.1");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) { // 24 client connections, all in flight at once
            calls.add(client.sendAsync(request("/n" + i), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> response = calls.get(i).get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("h2 /n" + i);
        }
        assertThat(backend.connections()).as("one event loop, one multiplexed connection").isEqualTo(1);
    }

    @Test
    void backendSpeakingOnlyHttp11IsPooledAsBefore() throws Exception {
        start(0, trusting(pki, false), "http/1.1");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(client.sendAsync(request("/first" + i), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertThat(calls.get(i).get(20, TimeUnit.SECONDS).body()).isEqualTo("http/1.1 /first" + i);
        }
        int afterBurst = backend.connections();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = get("/orders/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("http/1.1 /orders/" + i);
        }
        assertThat(backend.connections()).as("sequential requests reuse a kept-alive connection")
                .isEqualTo(afterBurst);
    }

    @Test
    void disableHttp2KeepsHttp11ThoughTheBackendOffersH2() throws Exception {
        start(0, trusting(pki, true), "h2", "http/1.1");
        for (int i = 0; i < 3; i++) {
            assertThat(get("/x" + i).body()).isEqualTo("http/1.1 /x" + i);
        }
        assertThat(backend.connections()).isEqualTo(1);
    }

    @Test
    void untrustedH2BackendIsABadGatewayWithReasonUpstreamTls() throws Exception {
        start(0, trusting(otherCa, false), "h2", "http/1.1");
        assertThat(get("/").statusCode()).isEqualTo(502);
        Counter counter = registry.find("sluice.proxy.answers").tag("reason", "upstream-tls").counter();
        assertThat(counter).isNotNull();
        assertThat(counter.count()).isEqualTo(1);
    }

    @Test
    void webSocketUpgradeUsesHttp11WhileOtherRequestsUseH2() throws Exception {
        start(0, trusting(pki, false), "h2", "http/1.1");
        assertThat(get("/before").body()).isEqualTo("h2 /before"); // the endpoint is known to speak h2
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("ping", true).get(5, TimeUnit.SECONDS);
        assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("echo ping");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        assertThat(get("/after").body()).isEqualTo("h2 /after");
        assertThat(backend.connections()).as("the h2 connection plus the WebSocket's").isEqualTo(2);
    }
}
