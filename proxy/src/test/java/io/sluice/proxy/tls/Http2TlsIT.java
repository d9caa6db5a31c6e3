package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sluice.proxy.ProxyMain;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RouterTls;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 over TLS on {@code websecure}, negotiated by ALPN, through the proxy as {@code ProxyMain} runs it. */
class Http2TlsIT {
    @TempDir
    Path dir;

    @AutoClose
    final LocalTlsProxy local = new LocalTlsProxy();

    @Test
    void javaHttpClientSpeaksHttp2OverTlsThroughTheProxy() throws Exception {
        HttpServer backend = local.backend(8, exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            byte[] body = (exchange.getRequestMethod() + " " + exchange.getRequestURI() + " proto="
                    + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto") + " host="
                    + exchange.getRequestHeaders().getFirst("Host") + " len=" + in.length)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        TestPki pki = new TestPki();
        Certificate certificate = pki.leaf("secret/demo/local-tls").dns("localhost").withChain().build();
        RoutingSnapshot snapshot = new RoutingSnapshot(new SnapshotVersion(1, 1),
                List.of(new Router("secure", List.of("websecure"), new RouteMatch.Rule("Host(`localhost`)"), 0,
                        List.of(), "s1", new RouterTls(certificate.id(), null))),
                List.of(Service.LoadBalancer.of("s1",
                        List.of(Endpoint.ready("127.0.0.1", backend.getAddress().getPort())))),
                List.of(), List.of(certificate));
        local.start(dir, snapshot);
        int websecure = local.websecure();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(trusting(pki)).build();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            responses.add(client.sendAsync(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + websecure + "/r/" + i))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(i * 1000))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = responses.get(i).get(10, TimeUnit.SECONDS);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).isEqualTo("POST /r/" + i + " proto=https host=localhost:" + websecure
                    + " len=" + i * 1000);
        }
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + websecure + "/x")).header("x-test", "1").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(get.statusCode()).isEqualTo(200);
    }

    private static SSLContext trusting(TestPki pki) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", pki.ca());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
