package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RouterTls;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code websecure} entrypoint of a real proxy process wiring: TLS with SNI from the snapshot, then proxying. */
class HttpsEntrypointIT {
    @TempDir
    Path dir;

    @AutoClose
    final LocalTlsProxy local = new LocalTlsProxy();

    @Test
    void servesTheSnapshotCertificateBySniAndProxiesOverHttp11() throws Exception {
        HttpServer backend = local.backend(1, exchange -> {
            byte[] body = ("proto=" + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });

        TestPki pki = new TestPki();
        Certificate certificate = pki.leaf("secret/demo/secure-tls").dns("secure.test").withChain().build();
        RoutingSnapshot snapshot = new RoutingSnapshot(new SnapshotVersion(1, 1),
                List.of(new Router("secure", List.of("websecure"), new RouteMatch.Rule("PathPrefix(`/`)"), 0,
                        List.of(), "s1", new RouterTls(certificate.id(), null))),
                List.of(Service.LoadBalancer.of("s1",
                        List.of(Endpoint.ready("127.0.0.1", backend.getAddress().getPort())))),
                List.of(), List.of(certificate));
        local.start(dir, snapshot);
        int websecure = local.websecure();

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
