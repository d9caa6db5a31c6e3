package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.proxy.NettyDataPlane;
import io.sluice.proxy.ProxyMain;
import io.sluice.proxy.apply.ApplyResult;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.config.ProxyConfigLoader;
import io.sluice.proxy.testing.TestSnapshots;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RouterTls;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.TcpRouter;
import io.sluice.snapshot.TcpService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS passthrough on the {@code websecure} entrypoint of the real proxy wiring: a TLS backend with its own
 * certificate (from a CA the proxy never sees) is reached by SNI, and terminated HTTPS keeps working on the same
 * port.
 */
class TlsPassthroughIT {
    @TempDir
    Path dir;

    private final TestPki proxyPki = new TestPki();
    private final TestPki backendPki = new TestPki();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private Certificate proxyCertificate;
    private Certificate backendCertificate;
    private HttpServer httpBackend;
    private SSLServerSocket tlsBackend;
    private ProxyMain.Running proxy;
    private int websecure;

    @BeforeEach
    void start() throws Exception {
        httpBackend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        httpBackend.createContext("/", exchange -> {
            byte[] body = "terminated".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        httpBackend.start();
        backendCertificate = backendPki.leaf("backend").dns("db.test").build();
        tlsBackend = echoServer(backendCertificate);
        proxyCertificate = proxyPki.leaf("secret/demo/site").dns("secure.test", "plain.test").withChain().build();

        Path file = dir.resolve("snapshot.json");
        Files.write(file, TestSnapshots.json(snapshot(1, tlsBackend.getLocalPort())));
        websecure = freePort();
        ProxyConfig config = new ProxyConfigLoader().load(new String[] {"--bind-address", "127.0.0.1",
            "--web-port", String.valueOf(freePort()), "--websecure-port", String.valueOf(websecure),
            "--health-port", "0", "--push-port", "0", "--snapshot-file", file.toString(),
            "--drain-delay", "0s", "--drain-timeout", "1s", "--access-log", "false"});
        proxy = ProxyMain.start(config, new NettyDataPlane(config));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
        if (proxy != null) {
            proxy.shutdown().run();
        }
        httpBackend.stop(0);
        tlsBackend.close();
        threads.shutdownNow();
    }

    /** A terminated route for secure.test/plain.test, and passthrough of db.test and down.test (nothing listens). */
    private RoutingSnapshot snapshot(long sequence, int backendPort) throws IOException {
        RoutingSnapshot http = new RoutingSnapshot(new SnapshotVersion(1, sequence),
                List.of(new Router("secure", List.of("websecure"), new RouteMatch.Rule("PathPrefix(`/`)"), 0,
                        List.of(), "web", new RouterTls(proxyCertificate.id(), null))),
                List.of(Service.LoadBalancer.of("web",
                        List.of(Endpoint.ready("127.0.0.1", httpBackend.getAddress().getPort())))),
                List.of(), List.of(proxyCertificate));
        return http.withTcp(
                List.of(new TcpRouter("ingressroutetcp/demo/db/0", List.of("websecure"), List.of("db.test"),
                                List.of(), 0, "tcp/demo/db"),
                        new TcpRouter("ingressroutetcp/demo/down/0", List.of("websecure"), List.of(),
                                List.of("^down\\.test$"), 0, "tcp/demo/down")),
                List.of(new TcpService("tcp/demo/db", List.of(new TcpService.Backend("demo/db:443", 1,
                                List.of(Endpoint.ready("127.0.0.1", backendPort))))),
                        new TcpService("tcp/demo/down", List.of(new TcpService.Backend("demo/down:443", 1,
                                List.of(Endpoint.ready("127.0.0.1", freePort())))))));
    }

    @Test
    void theClientVerifiesTheBackendsOwnCertificateThroughTheProxy() throws Exception {
        TlsTestClient trustsBackendOnly = new TlsTestClient(backendPki.ca());
        try (TlsTestClient.Connection connection = trustsBackendOnly.connect(websecure, "db.test")) {
            assertThat(connection.peer()).isEqualTo(TlsTestClient.leafOf(backendCertificate));
            assertThat(echo(connection.socket(), "ping")).isEqualTo("ping");
        }
    }

    @Test
    void terminatedHttpsOnTheSamePortStillWorksAndOtherNamesFallBackToTermination() throws Exception {
        TlsTestClient trustsProxy = new TlsTestClient(proxyPki.ca());
        for (String name : List.of("secure.test", "plain.test")) {
            try (TlsTestClient.Connection connection = trustsProxy.connect(websecure, name, "http/1.1")) {
                assertThat(connection.peer()).isEqualTo(TlsTestClient.leafOf(proxyCertificate));
                assertThat(connection.get()).isEqualTo("terminated");
            }
        }
        TlsTestClient trustsBackendOnly = new TlsTestClient(backendPki.ca());
        assertThatThrownBy(() -> trustsBackendOnly.connect(websecure, "plain.test").close())
                .as("the proxy's certificate answers, not the backend's").isInstanceOf(IOException.class);
    }

    @Test
    void aBackendThatIsDownClosesTheClientPromptly() throws Exception {
        TlsTestClient client = new TlsTestClient(backendPki.ca());
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.connect(websecure, "down.test").close()).isInstanceOf(IOException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
    }

    @Test
    void relaysLargeTransfersBothWaysAtOnce() throws Exception {
        byte[] payload = new byte[32 * 1024 * 1024];
        new SecureRandom().nextBytes(payload);
        TlsTestClient client = new TlsTestClient(backendPki.ca());
        try (TlsTestClient.Connection connection = client.connect(websecure, "db.test")) {
            Socket socket = connection.socket();
            long start = System.nanoTime();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int offset = 0; offset < payload.length; offset += 64 * 1024) {
                        out.write(payload, offset, 64 * 1024);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            byte[] echoed = socket.getInputStream().readNBytes(payload.length);
            writing.get(30, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("passthrough: 32 MiB each way in %d ms%n", millis);
            assertThat(MessageDigest.getInstance("SHA-256").digest(echoed))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
        }
    }

    @Test
    void anOpenRelaySurvivesASnapshotSwapThatRemovesItsRoute() throws Exception {
        TlsTestClient client = new TlsTestClient(backendPki.ca());
        try (TlsTestClient.Connection connection = client.connect(websecure, "db.test")) {
            assertThat(echo(connection.socket(), "before")).isEqualTo("before");

            RoutingSnapshot withoutTcp = snapshot(2, tlsBackend.getLocalPort()).withTcp(List.of(), List.of());
            ApplyResult result = proxy.applier().apply(TestSnapshots.json(withoutTcp)).get(10, TimeUnit.SECONDS);
            assertThat(result.accepted()).as(result.problems().toString()).isTrue();

            assertThat(echo(connection.socket(), "after")).isEqualTo("after");
            assertThatThrownBy(() -> client.connect(websecure, "db.test").close())
                    .as("new connections to db.test are terminated now").isInstanceOf(IOException.class);
            assertThat(echo(connection.socket(), "still")).isEqualTo("still");
        }
    }

    @Test
    void relaysTheClientHelloVerbatimAndPropagatesHalfClose() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = plain.accept()) {
                    byte[] all = accepted.getInputStream().readAllBytes(); // until the client's half-close
                    accepted.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
                    return all;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            RoutingSnapshot toPlain = snapshot(2, plain.getLocalPort());
            assertThat(proxy.applier().apply(TestSnapshots.json(toPlain)).get(10, TimeUnit.SECONDS).accepted())
                    .isTrue();
            byte[] hello = clientHello("db.test");
            try (Socket socket = new Socket("127.0.0.1", websecure)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(hello);
                socket.shutdownOutput();
                assertThat(received.get(10, TimeUnit.SECONDS)).as("the backend got the ClientHello as sent")
                        .isEqualTo(hello);
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .as("the answer after the client's half-close, then end of stream").isEqualTo("bye");
            }
        }
    }

    /** The bytes of a TLS ClientHello naming {@code serverName}, as a JDK client would send them. */
    private static byte[] clientHello(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        javax.net.ssl.SSLEngine engine = context.createSSLEngine(serverName, 443);
        engine.setUseClientMode(true);
        javax.net.ssl.SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(serverName)));
        engine.setSSLParameters(parameters);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(java.nio.ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static String echo(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII);
    }

    /** A TLS server with {@code certificate} that echoes every byte on each connection. */
    private SSLServerSocket echoServer(Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(certificate.certificatePem().getBytes(StandardCharsets.US_ASCII)));
        store.setKeyEntry("backend", privateKey(certificate.privateKeyPem()), "x".toCharArray(),
                new java.security.cert.Certificate[] {leaf});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "x".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    closeLater.add(socket);
                    threads.execute(() -> echo(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    private static void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static PrivateKey privateKey(String pem) throws Exception {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        return KeyFactory.getInstance("EC").generatePrivate(spec);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
