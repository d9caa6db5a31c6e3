package io.sluice.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.status.Conditions;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as {@link ClusterMode} runs it (flags, Lease, health port), on the mock API server with a real
 * in-process proxy.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterOperatorIT {
    KubernetesClient client;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private InProcessProxy proxy;
    private ClusterOperator operator;
    private ClusterOperator follower;
    private MockClusterFixture cluster;

    @BeforeEach
    void fixture() {
        cluster = new MockClusterFixture(client);
    }

    @AfterEach
    void stop() {
        if (follower != null) {
            follower.close();
        }
        if (operator != null) {
            operator.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void leaderPushesWritesStatusAndServesHealthAndMetrics() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "op-token");
        proxy = new InProcessProxy(token);
        cluster.registerProxy("proxy-admin-1", proxy.pushPort());
        ClusterFlags flags = ClusterFlags.parse(new String[] {"--proxy-admin-service", "sluice/proxy-admin",
            "--push-token-file", token.toString(), "--leader-election-namespace", "sluice", "--health-port", "0"});
        operator = new ClusterOperator(client, flags, "op-test-1",
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
        operator.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> get("/ready").statusCode() == 200);
        assertThat(get("/live").statusCode()).isEqualTo(200);
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Lease lease = client.leases().inNamespace("sluice").withName("sluice-operator").get();
            return lease != null && "op-test-1".equals(lease.getSpec().getHolderIdentity());
        });

        applyWebService();
        apply("""
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: shop, namespace: default}
                spec:
                  routes:
                  - match: Host(`shop.example.com`)
                    kind: Rule
                    services: [{name: web, port: 80}]
                """, IngressRoute.class);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            IngressRoute route = client.resources(IngressRoute.class).inNamespace("default").withName("shop").get();
            assertThat(route.getStatus()).isNotNull();
            Condition programmed = Conditions.find(route.getStatus().conditions(), Conditions.PROGRAMMED);
            assertThat(programmed).isNotNull();
            assertThat(programmed.getStatus()).isEqualTo("True");
        });
        assertThat(proxy.applied()).isNotEmpty();
        assertThat(proxy.applied().get(proxy.applied().size() - 1).routers())
                .anyMatch(r -> r.id().equals("ingressroute/default/shop/0"));

        String metrics = get("/metrics").body();
        assertThat(metrics).contains("sluice_reconciles_total", "sluice_snapshot_build_seconds_count",
                "sluice_snapshot_bytes", "sluice_objects_invalid{kind=\"IngressRoute\"}", "sluice_proxies",
                "sluice_push_duration_seconds", "sluice_status_writes_total{kind=\"IngressRoute\"}",
                "sluice_controller_reconcile_seconds_count{controller=\"ingressroute\",result=\"success\"}",
                "sluice_proxy_push_duration_seconds_count{proxy=\"127.0.0.1:" + proxy.pushPort()
                        + "\",result=\"applied\"}");

        operator.close();
        assertThat(operator.await(Duration.ofSeconds(5))).isTrue();
        assertThat(operator.await()).isEqualTo(ClusterOperator.Ending.STOPPED);
    }

    @Test
    void aProxyHoldingALaterEpochEndsTheOperator() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "op-token");
        proxy = new InProcessProxy(token);
        // another leader, with a later epoch than this one's (start time in seconds), already pushed
        byte[] later = new SnapshotCodec().encode(new RoutingSnapshot(new SnapshotVersion(Long.MAX_VALUE / 2, 4),
                List.of(), List.of(), List.of(), List.of()));
        HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.pushPort() + "/snapshot"))
                .header("Authorization", "Bearer op-token").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(later)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pushed.statusCode()).isEqualTo(200);
        cluster.registerProxy("proxy-admin-1", proxy.pushPort());
        ClusterFlags flags = ClusterFlags.parse(new String[] {"--proxy-admin-service", "sluice/proxy-admin",
            "--push-token-file", token.toString(), "--no-leader-election", "--health-port", "0"});
        operator = new ClusterOperator(client, flags, "op-test-2",
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
        operator.start();

        assertThat(operator.await(Duration.ofSeconds(20))).isTrue();
        assertThat(operator.await()).isEqualTo(ClusterOperator.Ending.LOST_LEADERSHIP);
        assertThat(proxy.applied()).hasSize(1);
    }

    @Test
    void aFollowerKeepsWarmCachesButNeitherPushesNorWritesStatus() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "op-token");
        proxy = new InProcessProxy(token);
        cluster.registerProxy("proxy-admin-1", proxy.pushPort());
        ClusterFlags flags = ClusterFlags.parse(new String[] {"--proxy-admin-service", "sluice/proxy-admin",
            "--push-token-file", token.toString(), "--leader-election-namespace", "sluice", "--health-port", "0"});
        operator = new ClusterOperator(client, flags, "op-lead",
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
        operator.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Lease lease = client.leases().inNamespace("sluice").withName("sluice-operator").get();
            return lease != null && "op-lead".equals(lease.getSpec().getHolderIdentity());
        });
        PrometheusMeterRegistry followerMetrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        follower = new ClusterOperator(client, flags, "op-follow", followerMetrics, Clock.systemUTC());
        follower.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(follower, "/ready").statusCode() == 200);

        applyWebService();
        apply("""
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: shop, namespace: default}
                spec:
                  routes:
                  - match: Host(`shop.example.com`)
                    kind: Rule
                    services: [{name: web, port: 80}]
                """, IngressRoute.class);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            IngressRoute route = client.resources(IngressRoute.class).inNamespace("default").withName("shop").get();
            assertThat(route.getStatus()).isNotNull();
            assertThat(Conditions.find(route.getStatus().conditions(), Conditions.PROGRAMMED).getStatus())
                    .isEqualTo("True");
        });
        // the follower's controllers saw the route (warm caches), but it built, pushed and wrote nothing
        await().atMost(Duration.ofSeconds(10)).until(() -> get(follower, "/metrics").body().contains(
                "sluice_controller_reconcile_seconds_count{controller=\"ingressroute\",result=\"success\"}"));
        String metrics = get(follower, "/metrics").body();
        assertThat(metrics).doesNotContain("sluice_reconciles_total", "sluice_push_duration_seconds",
                "sluice_status_writes_total");
        assertThat(proxy.applied()).allSatisfy(s -> assertThat(s.version().epoch())
                .isEqualTo(proxy.applied().get(0).version().epoch()));
        assertThat(client.leases().inNamespace("sluice").withName("sluice-operator").get().getSpec()
                .getHolderIdentity()).isEqualTo("op-lead");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(operator, path);
    }

    private HttpResponse<String> get(ClusterOperator target, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.healthPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The Service the test routes point at: a route to a missing Service is not Programmed (RefNotResolved). */
    private void applyWebService() {
        apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec:
                  ports: [{name: http, port: 80}]
                """, io.fabric8.kubernetes.api.model.Service.class);
    }

    private <T extends HasMetadata> void apply(String yaml, Class<T> type) {
        cluster.apply(type, yaml);
    }
}
