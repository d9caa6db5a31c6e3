package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.proxy.NettyDataPlane;
import io.sluice.proxy.ProxyMain;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's TLS flags on a real proxy: {@code --default-certificate-file}/{@code --default-key-file},
 * {@code --tls-provider} and its metric, and {@code --redirect-web-to-https}.
 */
class TlsFlagsIT {
    @TempDir
    Path dir;

    @AutoClose
    final LocalTlsProxy local = new LocalTlsProxy();

    @Test
    void defaultCertificateFilesAreServedToUnknownNamesAndTheProviderIsAMetric() throws Exception {
        TestPki pki = new TestPki();
        Certificate wildcard = pki.leaf("files").dns("*.corp.test").build();
        Path crt = Files.writeString(dir.resolve("tls.crt"), wildcard.certificatePem());
        Path key = Files.writeString(dir.resolve("tls.key"), wildcard.privateKeyPem());
        ProxyMain.Running proxy = local.start("--default-certificate-file", crt.toString(),
                "--default-key-file", key.toString(), "--tls-provider", "jdk");
        int websecure = local.websecure();

        TlsTestClient client = new TlsTestClient(pki.ca());
        try (TlsTestClient.Connection connection = client.connect(websecure, "nobody.example")) {
            assertThat(connection.peer()).isEqualTo(TlsTestClient.leafOf(wildcard));
        }
        try (TlsTestClient.Connection connection = client.connect(websecure, null)) {
            assertThat(connection.peer()).isEqualTo(TlsTestClient.leafOf(wildcard));
        }
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.healthPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("sluice_tls_provider_info{provider=\"jdk\"} 1\n");
    }

    @Test
    void aBrokenDefaultCertificatePairStopsTheProxyWithTheReason() throws Exception {
        TestPki pki = new TestPki();
        Certificate mismatched = pki.leaf("files").dns("corp.test").mismatchedKey().build();
        Path crt = Files.writeString(dir.resolve("tls.crt"), mismatched.certificatePem());
        Path key = Files.writeString(dir.resolve("tls.key"), mismatched.privateKeyPem());
        ProxyConfig config = local.config("--default-certificate-file", crt.toString(),
                "--default-key-file", key.toString());

        assertThatThrownBy(() -> new NettyDataPlane(config)).isInstanceOf(IllegalStateException.class)
                .hasMessage("--default-certificate-file " + crt + " / --default-key-file " + key
                        + ": private key does not match the certificate");
        ProxyConfig missing = local.config("--default-certificate-file", dir.resolve("absent.crt").toString(),
                "--default-key-file", key.toString());
        assertThatThrownBy(() -> new NettyDataPlane(missing)).hasMessageContaining("cannot read");
    }

    @Test
    void webRedirectsEveryRequestToHttpsButAcmeChallengesStillReachTheirRoute() throws Exception {
        HttpServer backend = local.backend("token");
        RoutingSnapshot snapshot = new RoutingSnapshot(new SnapshotVersion(1, 1),
                List.of(new Router("acme", List.of("web"),
                        new RouteMatch.Rule("PathPrefix(`/.well-known/acme-challenge/`)"), 0, List.of(), "solver",
                        null)),
                List.of(Service.LoadBalancer.of("solver",
                        List.of(Endpoint.ready("127.0.0.1", backend.getAddress().getPort())))),
                List.of(), List.of());
        local.start(dir, snapshot, "--redirect-web-to-https", "443");
        int web = local.web();

        try (Socket socket = new Socket("127.0.0.1", web)) {
            socket.setSoTimeout(10_000);
            // two requests on one kept-alive connection
            assertThat(exchange(socket, "GET /shop/cart?id=7 HTTP/1.1\r\nHost: Shop.Example.COM:8080\r\n\r\n"))
                    .startsWith("HTTP/1.1 301 Moved Permanently\r\n")
                    .contains("location: https://shop.example.com/shop/cart?id=7\r\n");
            assertThat(exchange(socket, "POST /form HTTP/1.1\r\nHost: shop.example.com\r\n"
                    + "Content-Length: 5\r\n\r\nhello"))
                    .startsWith("HTTP/1.1 308 Permanent Redirect\r\n")
                    .contains("location: https://shop.example.com/form\r\n");
            assertThat(exchange(socket, "GET /.well-known/acme-challenge/abc HTTP/1.1\r\nHost: shop.example.com\r\n\r\n"))
                    .startsWith("HTTP/1.1 200").endsWith("token");
            assertThat(exchange(socket, "HEAD / HTTP/1.1\r\nHost: shop.example.com\r\n\r\n"))
                    .startsWith("HTTP/1.1 301").contains("location: https://shop.example.com/\r\n");
        }
        try (Socket socket = new Socket("127.0.0.1", web)) {
            socket.setSoTimeout(10_000);
            assertThat(exchange(socket, "GET / HTTP/1.1\r\nHost: bad\"host\r\n\r\n")).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void theRedirectNamesAnyOtherHttpsPort() throws Exception {
        local.start("--redirect-web-to-https", "8443");
        int web = local.web();
        try (Socket socket = new Socket("127.0.0.1", web)) {
            socket.setSoTimeout(10_000);
            assertThat(exchange(socket, "GET http://a.test/x HTTP/1.1\r\nHost: a.test\r\n\r\n"))
                    .contains("location: https://a.test:8443/x\r\n");
        }
    }

    /** Writes one request and reads one response (head plus Content-Length body). */
    private static String exchange(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        boolean headRequest = request.startsWith("HEAD ");
        return head + (headRequest ? "" : new String(in.readNBytes(length), StandardCharsets.US_ASCII));
    }
}
