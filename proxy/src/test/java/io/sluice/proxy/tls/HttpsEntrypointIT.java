package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.proxy.NettyDataPlane;
import io.sluice.proxy.ProxyMain;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code websecure} entrypoint of a real proxy process wiring: TLS with SNI from the snapshot, then proxying. */
class HttpsEntrypointIT {
    @TempDir
    Path dir;

    private HttpServer backend;
    private ProxyMain.Running proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.shutdown().run();
        }
        if (backend != null) {
            backend.stop(0);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void servesTheSnapshotCertificateBySniAndProxiesOverHttp11() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.createContext("/", exchange -> {
            byte[] body = ("proto=" + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();

        TestPki pki = new TestPki();
        Certificate certificate = pki.leaf("secret/demo/secure-tls").dns("secure.test").withChain().build();
        RoutingSnapshot snapshot = new RoutingSnapshot(new SnapshotVersion(1, 1),
                List.of(new Router("secure", List.of("websecure"), new RouteMatch.Rule("PathPrefix(`/`)"), 0,
                        List.of(), "s1", new RouterTls(certificate.id(), null))),
                List.of(Service.LoadBalancer.of("s1",
                        List.of(Endpoint.ready("127.0.0.1", backend.getAddress().getPort())))),
                List.of(), List.of(certificate));
        Path file = dir.resolve("snapshot.json");
        Files.write(file, TestSnapshots.json(snapshot));
        int websecure = freePort();
        ProxyConfig config = new ProxyConfigLoader().load(new String[] {"--bind-address", "127.0.0.1",
            "--web-port", String.valueOf(freePort()), "--websecure-port", String.valueOf(websecure),
            "--health-port", "0", "--push-port", "0", "--snapshot-file", file.toString(),
            "--drain-delay", "0s", "--drain-timeout", "5s", "--access-log", "false"});
        proxy = ProxyMain.start(config, new NettyDataPlane(config));

        TlsTestClient client = new TlsTestClient(pki.ca());
        try (TlsTestClient.Connection connection = client.connect(websecure, "secure.test", "h2", "http/1.1")) {
            assertThat(connection.applicationProtocol()).as("ALPN prefers h2").isEqualTo("h2");
        }
        try (TlsTestClient.Connection connection = client.connect(websecure, "secure.test", "http/1.1")) {
            assertThat(connection.peer().getSubjectAlternativeNames().toString()).contains("secure.test");
            assertThat(connection.applicationProtocol()).as("HTTP/1.1 clients still served").isEqualTo("http/1.1");
            assertThat(connection.get()).isEqualTo("proto=https");
        }
        try (TlsTestClient.Connection connection = client.connect(websecure, "secure.test")) {
            assertThat(connection.get()).as("no ALPN at all means HTTP/1.1").isEqualTo("proto=https");
        }
        // an unknown name gets the generated default certificate, which this client does not trust
        assertThatThrownBy(() -> client.connect(websecure, "other.test").close())
                .isInstanceOf(SSLException.class);
    }
}
