package io.sluice.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
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
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.HealthCheck;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Active health checks with {@code scheme: https} through the real proxy: JDK TLS backends with certificates made
 * for the test, probed with the service's own upstream TLS settings (trust, client certificate, verification).
 */
class HttpsHealthChecksIT {
    private static final String BACKEND_NAME = "backend.shop.svc.cluster.local";
    private static UpstreamTestPki pki;
    private static UpstreamTestPki otherCa;
    private static UpstreamTestPki clientCa;
    private static UpstreamTestPki.Issued serverLeaf;
    private static UpstreamTestPki.Issued untrustedLeaf;
    private static UpstreamTestPki.Issued clientLeaf;

    /** A TLS backend: its name answers {@code /}, {@code healthStatus} answers {@code /healthz}. */
    private static final class TlsBackend {
        final String name;
        final HttpsServer https;
        final AtomicInteger healthStatus = new AtomicInteger(200);
        final AtomicInteger healthProbes = new AtomicInteger();
        /** "SNI Host" of each probe. */
        final ConcurrentLinkedQueue<String> probes = new ConcurrentLinkedQueue<>();

        TlsBackend(String name, SSLContext tls, boolean needClientAuth) throws Exception {
            this.name = name;
            https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = tls.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(needClientAuth);
                    params.setSSLParameters(parameters);
                }
            });
            https.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                int status = 200;
                if (exchange.getRequestURI().getPath().equals("/healthz")) {
                    probes.add(sni(((HttpsExchange) exchange).getSSLSession()) + " "
                            + exchange.getRequestHeaders().getFirst("Host"));
                    healthProbes.incrementAndGet();
                    status = healthStatus.get();
                }
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            https.start();
        }

        int port() {
            return https.getAddress().getPort();
        }

        private static String sni(SSLSession session) {
            if (session instanceof ExtendedSSLSession) {
                for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                    if (name instanceof SNIHostName) {
                        return ((SNIHostName) name).getAsciiName();
                    }
                }
            }
            return "-";
        }
    }

    private final List<TlsBackend> backends = new ArrayList<>();
    private final List<HttpServer> plainBackends = new ArrayList<>();
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final EventLoopGroup healthLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HealthCheckers checkers = new HealthCheckers(healthLoop, NioSocketChannel.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(new UpstreamEndpoints(UpstreamSettings.defaults()),
            UpstreamSettings.defaults(), new MiddlewareFactory(), new RouterCompiler(), checkers);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SnapshotVersion version = new SnapshotVersion(1, 0);
    private EntrypointServer server;
    private int port;

    @BeforeAll
    static void pki() throws Exception {
        pki = new UpstreamTestPki("backend-ca");
        otherCa = new UpstreamTestPki("unrelated-ca");
        clientCa = new UpstreamTestPki("client-ca");
        serverLeaf = pki.issue(BACKEND_NAME);
        untrustedLeaf = otherCa.issue(BACKEND_NAME);
        clientLeaf = clientCa.issue("sluice-proxy");
    }

    private void startProxy() throws Exception {
        new HealthGauges(registry, checkers);
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 1, false);
        port = server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        checkers.stopAll();
        healthLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        backends.forEach(b -> b.https.stop(0));
        plainBackends.forEach(b -> b.stop(0));
    }

    private TlsBackend backend(String name, UpstreamTestPki.Issued leaf, boolean needClientAuth) throws Exception {
        TlsBackend backend = new TlsBackend(name, UpstreamTestPki.serverContext(leaf,
                needClientAuth ? clientCa : null), needClientAuth);
        backends.add(backend);
        return backend;
    }

    private void install(Scheme scheme, HealthCheck check, UpstreamTls tls, List<Integer> ports,
            Certificate... certificates) throws Exception {
        List<Endpoint> endpoints = new ArrayList<>();
        ports.forEach(p -> endpoints.add(Endpoint.ready("127.0.0.1", p)));
        version = version.next();
        RoutingSnapshot snapshot = new RoutingSnapshot(version, List.of(new Router("r", List.of("web"),
                new RouteMatch.Rule("PathPrefix(`/`)"), 0, List.of(), "svc", null)),
                List.of(new Service.LoadBalancer("svc", endpoints, scheme, true, Strategy.WRR, null, check, null, null,
                        tls)),
                List.of(), List.of(certificates));
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
    }

    private static HealthCheck check(String scheme, String hostname) {
        return new HealthCheck("/healthz", 100, 2000, scheme, hostname, null, null, Map.of());
    }

    private Set<String> served(int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            seen.add(response.statusCode() + " " + response.body());
        }
        return seen;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private double failing() {
        return registry.get("sluice.upstream.health.checks.failing").gauge().value();
    }

    @Test
    void tlsProbeWithClientCertificateEjectsAnEndpointWhoseHealthFailsAndReadmitsIt() throws Exception {
        TlsBackend a = backend("a", serverLeaf, true);
        TlsBackend b = backend("b", serverLeaf, true);
        startProxy();
        Certificate clientCertificate = new Certificate("secret/shop/proxy-client", clientLeaf.certificatePem(),
                clientLeaf.keyPem());
        // requests verify the endpoint address (127.0.0.1); the probes are addressed by the check's hostname
        install(Scheme.HTTPS, check(null, BACKEND_NAME), new UpstreamTls(null, false,
                List.of(pki.ca.certificatePem()), clientCertificate.id()), List.of(a.port(), b.port()),
                clientCertificate);
        await(() -> a.healthProbes.get() > 0 && b.healthProbes.get() > 0 && failing() == 0);
        assertThat(a.probes.peek()).isEqualTo(BACKEND_NAME + " " + BACKEND_NAME);
        assertThat(served(6)).containsExactlyInAnyOrder("200 a", "200 b");

        a.healthStatus.set(500);
        await(() -> failing() == 1);
        assertThat(served(20)).containsExactly("200 b");

        a.healthStatus.set(200);
        await(() -> failing() == 0);
        assertThat(served(6)).containsExactlyInAnyOrder("200 a", "200 b");
    }

    @Test
    void anUntrustedBackendCertificateFailsTheProbeAndTheEndpointIsMarkedDown() throws Exception {
        TlsBackend trusted = backend("trusted", serverLeaf, false);
        TlsBackend untrusted = backend("untrusted", untrustedLeaf, false);
        startProxy();
        UpstreamTls tls = new UpstreamTls(BACKEND_NAME, false, List.of(pki.ca.certificatePem()), null);
        install(Scheme.HTTPS, check(null, null), tls, List.of(trusted.port(), untrusted.port()));
        await(() -> trusted.healthProbes.get() > 0 && failing() == 1);
        assertThat(untrusted.healthProbes.get()).as("no request over an unverified handshake").isZero();
        assertThat(served(20)).containsExactly("200 trusted");

        // every endpoint down: all are used again (the untrusted one then fails its requests at the handshake)
        install(Scheme.HTTPS, check(null, null), tls, List.of(untrusted.port()));
        await(() -> failing() == 1 && checkers.running().size() == 1);
        assertThat(served(2)).containsExactly("502 bad gateway\n");

        // insecureSkipVerify applies to probes too
        install(Scheme.HTTPS, check(null, null), new UpstreamTls(BACKEND_NAME, true, List.of(), null),
                List.of(untrusted.port()));
        await(() -> untrusted.healthProbes.get() > 0 && failing() == 0);
        assertThat(served(2)).containsExactly("200 untrusted");
    }

    @Test
    void anHttpsProbeOfACleartextPortFailsLikeTraefiksAndEveryEndpointDownKeepsServing() throws Exception {
        HttpServer plain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        plainBackends.add(plain);
        AtomicInteger plainProbes = new AtomicInteger();
        plain.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/healthz")) {
                plainProbes.incrementAndGet();
            }
            byte[] body = "plain".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        plain.start();
        startProxy();
        install(Scheme.HTTP, check("https", null), null, List.of(plain.getAddress().getPort()));
        await(() -> failing() == 1);
        assertThat(plainProbes.get()).as("a TLS ClientHello is no HTTP request").isZero();
        assertThat(served(3)).containsExactly("200 plain");

        install(Scheme.HTTP, check("http", null), null, List.of(plain.getAddress().getPort()));
        await(() -> plainProbes.get() > 0 && failing() == 0);
    }

    @Test
    void aCleartextServiceIsProbedOverTlsWithItsTransportSettings() throws Exception {
        TlsBackend tlsOnly = backend("tls-only", serverLeaf, false);
        startProxy();
        // the service is cleartext (its requests to this TLS port fail) but its check speaks TLS to the port
        install(Scheme.HTTP, check("https", null), new UpstreamTls(BACKEND_NAME, false,
                List.of(pki.ca.certificatePem()), null), List.of(tlsOnly.port()));
        await(() -> tlsOnly.healthProbes.get() > 0 && checkers.running().size() == 1 && failing() == 0);
        assertThat(tlsOnly.probes.peek()).startsWith(BACKEND_NAME + " ");
    }
}
