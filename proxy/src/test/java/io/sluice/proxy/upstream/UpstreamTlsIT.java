package io.sluice.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.apply.SnapshotRejectedException;
import io.sluice.proxy.entrypoint.EntrypointServer;
import io.sluice.proxy.entrypoint.EntrypointSettings;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Strategy;
import io.sluice.snapshot.UpstreamTls;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.Assertions;

/**
 * {@code https} services through the real proxy to real TLS backends (JDK HttpsServer) with certificates made
 * for the test: trust, server name, insecureSkipVerify, client certificates and keep-alive reuse.
 */
class UpstreamTlsIT {
    private static UpstreamTestPki pki;
    private static UpstreamTestPki otherCa;
    private static UpstreamTestPki clientCa;
    private static UpstreamTestPki.Issued serverLeaf;
    private static UpstreamTestPki.Issued clientLeaf;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(
            new UpstreamEndpoints(UpstreamSettings.defaults()),
            new UpstreamSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30), 64, 32768),
            new MiddlewareFactory(), new RouterCompiler());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Set<Integer> backendSawPorts = ConcurrentHashMap.newKeySet();
    private final ExecutorService backendThreads = Executors.newFixedThreadPool(4);
    private SnapshotVersion version = new SnapshotVersion(1, 0);
    private HttpsServer backend;
    private EntrypointServer server;
    private int port;

    @BeforeAll
    static void pki() throws Exception {
        pki = new UpstreamTestPki("backend-ca");
        otherCa = new UpstreamTestPki("unrelated-ca");
        clientCa = new UpstreamTestPki("client-ca");
        serverLeaf = pki.issue("backend.shop.svc.cluster.local");
        clientLeaf = clientCa.issue("sluice-proxy");
    }

    private void start(SSLContext backendTls, boolean needClientAuth) throws Exception {
        backend = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setHttpsConfigurator(new HttpsConfigurator(backendTls) {
            @Override
            public void configure(HttpsParameters params) {
                javax.net.ssl.SSLParameters parameters = backendTls.getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(parameters);
            }
        });
        backend.setExecutor(backendThreads);
        backend.createContext("/", exchange -> {
            backendSawPorts.add(exchange.getRemoteAddress().getPort());
            byte[] answer = ("tls backend " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        backend.start();
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                registry, 1, false);
        port = server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
        backendThreads.shutdownNow();
    }

    private void install(UpstreamTls tls, Certificate... certificates) throws Exception {
        version = version.next();
        Service.LoadBalancer service = new Service.LoadBalancer("backend",
                List.of(Endpoint.ready("127.0.0.1", backend.getAddress().getPort())), Scheme.HTTPS, true,
                Strategy.WRR, null, null, null, null, tls);
        RoutingSnapshot snapshot = new RoutingSnapshot(version, List.of(new Router("r", List.of("web"),
                new RouteMatch.Rule("PathPrefix(`/`)"), 0, List.of(), "backend", null)), List.of(service), List.of(),
                List.of(certificates));
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private double tlsFailures() {
        Counter counter = registry.find("sluice.proxy.answers").tag("reason", "upstream-tls").counter();
        return counter == null ? 0 : counter.count();
    }

    private static UpstreamTls trusting(UpstreamTestPki ca, String serverName) {
        return new UpstreamTls(serverName, false, List.of(ca.ca.certificatePem()), null);
    }

    @Test
    void backendVerifiedAgainstTheGivenCaAnswersAndOneHandshakeServesManyRequests() throws Exception {
        start(UpstreamTestPki.serverContext(serverLeaf, null), false);
        install(trusting(pki, "backend.shop.svc.cluster.local"));
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = get("/orders/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("tls backend /orders/" + i);
        }
        assertThat(backendSawPorts).as("one kept-alive TLS connection for all requests").hasSize(1);

        install(trusting(pki, "backend.shop.svc.cluster.local")); // a new snapshot with the same settings
        assertThat(get("/again").statusCode()).isEqualTo(200);
        assertThat(backendSawPorts).as("the pool survives a snapshot that keeps the settings").hasSize(1);

        install(new UpstreamTls("backend.shop.svc.cluster.local", false,
                List.of(otherCa.ca.certificatePem(), pki.ca.certificatePem()), null)); // CA bundle changed
        assertThat(get("/rotated").statusCode()).isEqualTo(200);
        assertThat(backendSawPorts).as("changed settings handshake anew").hasSize(2);
    }

    @Test
    void backendThatNeverAnswersTheHandshakeIsABadGatewayAfterTheConnectTimeout() throws Exception {
        start(UpstreamTestPki.serverContext(serverLeaf, null), false);
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            version = version.next();
            Service.LoadBalancer service = new Service.LoadBalancer("backend",
                    List.of(Endpoint.ready("127.0.0.1", silent.getLocalPort())), Scheme.HTTPS, true, Strategy.WRR,
                    null, null, null, null, trusting(pki, "backend.shop.svc.cluster.local"));
            active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(new RoutingSnapshot(version,
                    List.of(new Router("r", List.of("web"), new RouteMatch.Rule("PathPrefix(`/`)"), 0, List.of(),
                            "backend", null)), List.of(service), List.of(), List.of()))));
            long started = System.nanoTime();
            assertThat(get("/").statusCode()).isEqualTo(502);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
            assertThat(tlsFailures()).isEqualTo(1);
        }
    }

    @Test
    void withoutServerNameTheEndpointAddressIsVerified() throws Exception {
        start(UpstreamTestPki.serverContext(serverLeaf, null), false);
        install(trusting(pki, null));
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void backendSignedByAnotherCaIsABadGatewayWithReasonUpstreamTls() throws Exception {
        start(UpstreamTestPki.serverContext(serverLeaf, null), false);
        install(trusting(otherCa, "backend.shop.svc.cluster.local"));
        assertThat(get("/").statusCode()).isEqualTo(502);
        assertThat(tlsFailures()).isEqualTo(1);
        assertThat(backendSawPorts).isEmpty();
    }

    @Test
    void noCaGivenMeansTheJvmTrustStoreWhichDoesNotKnowTheTestCa() throws Exception {
        start(UpstreamTestPki.serverContext(serverLeaf, null), false);
        install(null);
        assertThat(get("/").statusCode()).isEqualTo(502);
        assertThat(tlsFailures()).isEqualTo(1);
    }

    @Test
    void certificateForAnotherNameIsABadGateway() throws Exception {
        start(UpstreamTestPki.serverContext(serverLeaf, null), false);
        install(trusting(pki, "billing.shop.svc.cluster.local"));
        assertThat(get("/").statusCode()).isEqualTo(502);
        assertThat(tlsFailures()).isEqualTo(1);
    }

    @Test
    void insecureSkipVerifyAcceptsAnUntrustedBackend() throws Exception {
        start(UpstreamTestPki.serverContext(serverLeaf, null), false);
        install(new UpstreamTls("somewhere.else", true, List.of(), null));
        HttpResponse<String> response = get("/anything");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("tls backend /anything");
    }

    @Test
    void backendRequiringAClientCertificateAcceptsTheConfiguredOne() throws Exception {
        start(UpstreamTestPki.serverContext(serverLeaf, clientCa), true);
        Certificate clientCertificate = new Certificate("secret/shop/proxy-client", clientLeaf.certificatePem(),
                clientLeaf.keyPem());
        install(new UpstreamTls("backend.shop.svc.cluster.local", false, List.of(pki.ca.certificatePem()),
                clientCertificate.id()), clientCertificate);
        assertThat(get("/mtls").statusCode()).isEqualTo(200);
    }

    @Test
    void backendRequiringAClientCertificateRefusesAProxyWithoutOne() throws Exception {
        start(UpstreamTestPki.serverContext(serverLeaf, clientCa), true);
        install(trusting(pki, "backend.shop.svc.cluster.local"));
        // with TLS 1.3 the backend refuses the missing certificate after the client finished its handshake,
        // so the proxy learns it from the closed connection: still a 502, never a hang
        assertThat(get("/mtls").statusCode()).isEqualTo(502);
        assertThat(backendSawPorts).isEmpty();
    }

    @Test
    void unparsableRootCaRejectsTheSnapshotWithoutQuotingIt() throws Exception {
        start(UpstreamTestPki.serverContext(serverLeaf, null), false);
        String broken = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n";
        Assertions.assertThatThrownBy(() -> install(new UpstreamTls(null, false, List.of(broken), null)))
                .isInstanceOf(SnapshotRejectedException.class)
                .hasMessageContaining("service backend: upstream TLS: root CA: certificate PEM cannot be parsed")
                .hasMessageNotContaining("bm90");
    }
}
