package io.sluice.proxy.admin;

import static io.sluice.proxy.testing.TestSnapshots.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.SnapshotApplier;
import io.sluice.proxy.testing.TestSnapshots;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.RouterTls;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ActiveSnapshot<List<String>> active = new ActiveSnapshot<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Readiness readiness = new Readiness(() -> active.current() != null);
    private SnapshotApplier<List<String>> applier;
    private HealthServer server;

    @BeforeEach
    void start() throws Exception {
        applier = new SnapshotApplier<>(TestSnapshots.routerIdCompiler(), active, registry, null);
        server = new HealthServer(new InetSocketAddress("127.0.0.1", 0), group, readiness, registry,
                applier::servingVersion,
                () -> applier.appliedSnapshot().map(s -> s.routers().stream().map(RouteSummary::of).toList())
                        .orElse(List.of()));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        applier.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyOnlyOnceASnapshotServesAndNotAfterShutdownBegins() throws Exception {
        assertThat(send("GET", "/live").statusCode()).isEqualTo(200);
        HttpResponse<String> before = send("GET", "/ready");
        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(before.body()).contains("no routing snapshot");

        applier.apply(json(TestSnapshots.withHost(1, 1, "a.test"))).get();
        assertThat(send("GET", "/ready").statusCode()).isEqualTo(200);

        readiness.beginShutdown();
        assertThat(send("GET", "/ready").statusCode()).isEqualTo(503);
        assertThat(send("GET", "/live").statusCode()).isEqualTo(200);
    }

    @Test
    void servesPrometheusMetrics() throws Exception {
        applier.apply(json(TestSnapshots.withHost(7, 3, "a.test"))).get();
        HttpResponse<String> metrics = send("GET", "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/plain"));
        assertThat(metrics.body()).contains("sluice_snapshot_version_epoch 7.0",
                "sluice_snapshot_version_sequence 3.0");
    }

    @Test
    void debugViewShowsVersionAndRoutesButNeverKeys() throws Exception {
        assertThat(send("GET", "/debug/snapshot").body()).isEqualTo("{\"version\":null,\"routes\":[]}");
        RoutingSnapshot plain = TestSnapshots.withHost(2, 1, "a.test");
        Router r = plain.routers().get(0);
        RoutingSnapshot withTls = new RoutingSnapshot(plain.version(),
                List.of(new Router(r.id(), r.entryPoints(), r.match(), r.priority(), r.middlewares(), r.service(),
                        new RouterTls("c1", null))),
                plain.services(), plain.middlewares(),
                List.of(new Certificate("c1", "-----BEGIN CERTIFICATE-----CERTDATA", "PRIVATE-KEY-DATA")));
        applier.apply(json(withTls)).get();

        String body = send("GET", "/debug/snapshot").body();
        assertThat(body).contains("\"version\":\"2.1\"", "\"id\":\"r1\"", "Host(`a.test`)", "\"tls\":true")
                .doesNotContain("PRIVATE-KEY-DATA").doesNotContain("CERTDATA");
    }

    @Test
    void isReadOnly() throws Exception {
        HttpResponse<String> post = send("POST", "/ready");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");
        assertThat(send("DELETE", "/metrics").statusCode()).isEqualTo(405);
        HttpResponse<String> head = send("HEAD", "/live");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(send("GET", "/nothing").statusCode()).isEqualTo(404);
    }
}
