package io.sluice.proxy.admin;

import static io.sluice.proxy.testing.TestSnapshots.json;
import static io.sluice.proxy.testing.TestSnapshots.withHost;
import static io.sluice.proxy.testing.TestSnapshots.withRule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.SnapshotApplier;
import io.sluice.proxy.testing.TestSnapshots;
import io.sluice.snapshot.SnapshotVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushServerTest {
    private static final String TOKEN = "s3cr3t-push-token-4711";

    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ActiveSnapshot<List<String>> active = new ActiveSnapshot<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SnapshotApplier<List<String>> applier;
    private BearerTokenFile token;
    private PushServer server;

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
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void start(boolean withToken, int maxBody) throws Exception {
        if (withToken) {
            Path file = dir.resolve("token");
            Files.writeString(file, TOKEN + "\n");
            token = new BearerTokenFile(file, Duration.ofMillis(50));
        }
        server = new PushServer(new PushServer.Settings(new InetSocketAddress("127.0.0.1", 0), token, null, maxBody),
                group, applier);
        server.start();
    }

    private HttpResponse<String> put(String bearer, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/snapshot"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String bearer, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void appliesAPushedSnapshotAndReportsTheVersion() throws Exception {
        start(true, PushServer.DEFAULT_MAX_BODY_BYTES);
        assertThat(get(TOKEN, "/snapshot/version").statusCode()).isEqualTo(404);

        HttpResponse<String> response = put(TOKEN, json(withHost(3, 4, "a.test")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"version\":\"3.4\"}");
        assertThat(active.current().compiled()).containsExactly("r1");
        HttpResponse<String> version = get(TOKEN, "/snapshot/version");
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(version.body()).isEqualTo("{\"version\":\"3.4\"}");
        assertThat(put(TOKEN, json(withHost(3, 4, "a.test"))).statusCode()).isEqualTo(200);
    }

    @Test
    void answers422WithEveryProblemAnd409ForAStaleVersion() throws Exception {
        start(true, PushServer.DEFAULT_MAX_BODY_BYTES);
        put(TOKEN, json(withHost(2, 2, "a.test")));

        HttpResponse<String> invalid = put(TOKEN, json(withRule(2, 3, "BAD")));
        HttpResponse<String> stale = put(TOKEN, json(withHost(2, 1, "b.test")));
        HttpResponse<String> garbage = put(TOKEN, "nope".getBytes(StandardCharsets.UTF_8));

        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).isEqualTo("{\"errors\":[\"router r1: unparseable rule\"]}");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("2.1", "older");
        assertThat(garbage.statusCode()).isEqualTo(422);
        assertThat(active.current().version()).isEqualTo(new SnapshotVersion(2, 2));
    }

    @Test
    void refusesMissingOrWrongTokensWithoutChangingAnythingOrLoggingTheToken() throws Exception {
        start(true, PushServer.DEFAULT_MAX_BODY_BYTES);
        PrintStream original = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            assertThat(put(null, json(withHost(1, 1, "a.test"))).statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = put(TOKEN + "x", json(withHost(1, 1, "a.test")));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("www-authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
            assertThat(put(TOKEN.substring(1), json(withHost(1, 1, "a.test"))).statusCode()).isEqualTo(401);
            assertThat(get("", "/snapshot/version").statusCode()).isEqualTo(401);
            assertThat(get(null, "/nothing-here").statusCode()).isEqualTo(401);
        } finally {
            System.setErr(original);
        }
        assertThat(active.current()).isNull();
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("refused").doesNotContain(TOKEN).doesNotContain(TOKEN.substring(1));
    }

    @Test
    void withoutATokenFileEveryRequestIsRefused() throws Exception {
        start(false, PushServer.DEFAULT_MAX_BODY_BYTES);
        HttpResponse<String> response = put("anything", json(withHost(1, 1, "a.test")));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("no token file");
        assertThat(active.current()).isNull();
    }

    @Test
    void aRotatedTokenReplacesTheOldOne() throws Exception {
        start(true, PushServer.DEFAULT_MAX_BODY_BYTES);
        assertThat(get(TOKEN, "/snapshot/version").statusCode()).isEqualTo(404);

        Path next = dir.resolve("token.next");
        Files.writeString(next, "rotated-token");
        Files.move(next, dir.resolve("token"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> get("rotated-token", "/snapshot/version").statusCode() == 404);
        assertThat(get(TOKEN, "/snapshot/version").statusCode()).isEqualTo(401);
    }

    @Test
    void refusesBodiesOverTheLimitWith413() throws Exception {
        start(true, 1024);
        HttpResponse<String> response = put(TOKEN, new byte[4096]);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(active.current()).isNull();
        assertThat(put(TOKEN, json(withHost(1, 1, "a.test"))).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongMethodsAndPathsAreRefusedPlainly() throws Exception {
        start(true, PushServer.DEFAULT_MAX_BODY_BYTES);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/snapshot"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("PUT");
        assertThat(get(TOKEN, "/other").statusCode()).isEqualTo(404);
    }
}
