package io.sluice.proxy.admin;

import static io.sluice.proxy.testing.TestSnapshots.json;
import static io.sluice.proxy.testing.TestSnapshots.withHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.SnapshotApplier;
import io.sluice.proxy.testing.TestCertificates;
import io.sluice.proxy.testing.TestSnapshots;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push port over TLS, with and without client certificates, against certificates made for the test. */
class PushServerTlsTest {
    @TempDir
    static Path pkiDir;
    static TestCertificates pki;

    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ActiveSnapshot<List<String>> active = new ActiveSnapshot<>();
    private SnapshotApplier<List<String>> applier;
    private BearerTokenFile token;
    private PushServer server;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestCertificates.create(pkiDir);
    }

    @BeforeEach
    void setUp() {
        applier = new SnapshotApplier<>(TestSnapshots.routerIdCompiler(), active,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), null);
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (token != null) {
            token.close();
        }
        applier.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void start(boolean withToken, Path clientCa) throws Exception {
        if (withToken) {
            Path file = dir.resolve("token");
            Files.writeString(file, "tls-token");
            token = new BearerTokenFile(file, Duration.ofSeconds(1));
        }
        PushTlsContext tls = new PushTlsContext(pki.serverChainPem, pki.serverKeyPem, clientCa);
        server = new PushServer(new PushServer.Settings(new InetSocketAddress("127.0.0.1", 0), token, tls,
                PushServer.DEFAULT_MAX_BODY_BYTES), group, applier);
        server.start();
    }

    private HttpResponse<String> put(SSLContext ssl, String bearer) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port()
                + "/snapshot")).PUT(HttpRequest.BodyPublishers.ofByteArray(json(withHost(1, 1, "a.test"))));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void mutualTlsAloneLetsInOnlyClientsWithACertificateFromTheCa() throws Exception {
        start(false, pki.caPem);

        assertThatThrownBy(() -> put(pki.anonymousClient(), null)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> put(pki.rogueClient(), null)).isInstanceOf(IOException.class);
        assertThat(active.current()).isNull();

        assertThat(put(pki.trustedClient(), null).statusCode()).isEqualTo(200);
        assertThat(active.current()).isNotNull();
    }

    @Test
    void withMutualTlsAndATokenBothAreRequired() throws Exception {
        start(true, pki.caPem);

        assertThat(put(pki.trustedClient(), null).statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> put(pki.anonymousClient(), "tls-token")).isInstanceOf(IOException.class);
        assertThat(active.current()).isNull();
        assertThat(put(pki.trustedClient(), "tls-token").statusCode()).isEqualTo(200);
    }

    @Test
    void serverTlsWithTokenNeedsNoClientCertificate() throws Exception {
        start(true, null);

        assertThat(put(pki.anonymousClient(), "wrong").statusCode()).isEqualTo(401);
        assertThat(put(pki.anonymousClient(), "tls-token").statusCode()).isEqualTo(200);
    }

    @Test
    void unreadableTlsFilesFailAtStartNamingTheFileNotItsContents() throws Exception {
        Path badKey = dir.resolve("bad-key.pem");
        Files.writeString(badKey, "-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n");
        PushTlsContext tls = new PushTlsContext(pki.serverChainPem, badKey, null);
        assertThatThrownBy(tls::build).isInstanceOf(IOException.class)
                .hasMessageContaining(badKey.toString()).hasMessageNotContaining("not-a-key");
    }
}
