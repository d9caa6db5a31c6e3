package io.sluice.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.TraefikService;
import io.sluice.operator.status.Conditions;
import io.sluice.snapshot.RoutingSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TraefikServices in cluster mode, against the fabric8 mock API server (CRUD mode), the real reconcilers and a real
 * in-process proxy: a weighted TraefikService an IngressRoute names reaches the proxy and becomes Programmed; a
 * reference cycle and a missing reference are reported on the TraefikServices' own status.
 */
@EnableKubernetesMockClient(crud = true)
class TraefikServiceClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    KubernetesClient client;

    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private InProcessProxy proxy;
    private MockClusterFixture cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockClusterFixture(client);
        proxy = cluster.startWithOneProxy(dir, registry);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void weightedTraefikServiceIsServedAndProgrammedACycleIsNotAccepted() {
        cluster.apply(TraefikService.class, """
                apiVersion: sluice.io/v1alpha1
                kind: TraefikService
                metadata: {name: canary, namespace: default}
                spec:
                  weighted:
                    services:
                    - {name: web, port: 80, weight: 90}
                    - {name: web, port: http, weight: 10}
                    sticky: {cookie: {name: split}}
                """);
        cluster.apply(TraefikService.class, """
                apiVersion: sluice.io/v1alpha1
                kind: TraefikService
                metadata: {name: ping, namespace: default}
                spec:
                  weighted:
                    services: [{name: pong, kind: TraefikService}]
                """);
        cluster.apply(TraefikService.class, """
                apiVersion: sluice.io/v1alpha1
                kind: TraefikService
                metadata: {name: pong, namespace: default}
                spec:
                  mirroring: {name: ping, kind: TraefikService}
                """);
        cluster.apply(IngressRoute.class, """
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: shop, namespace: default}
                spec:
                  routes:
                  - match: Host(`shop.example.com`)
                    kind: Rule
                    services: [{name: canary, kind: TraefikService}]
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            Condition programmed = condition("canary", Conditions.PROGRAMMED);
            assertThat(programmed).isNotNull();
            assertThat(programmed.getStatus()).as(programmed.getReason() + ": " + programmed.getMessage())
                    .isEqualTo("True");
            assertThat(programmed.getObservedGeneration())
                    .isEqualTo(stored("canary").getMetadata().getGeneration());
        });
        assertThat(condition("canary", Conditions.ACCEPTED).getStatus()).isEqualTo("True");
        assertThat(condition("canary", Conditions.RESOLVED_REFS).getStatus()).isEqualTo("True");
        // canary can be Programmed by a snapshot built before the IngressRoute reached the cache
        await().atMost(WAIT).untilAsserted(() -> assertThat(proxy.lastApplied().orElseThrow().routers())
                .anySatisfy(r -> {
            assertThat(r.id()).isEqualTo("ingressroute/default/shop/0");
            assertThat(r.service()).isEqualTo("traefikservice/default/canary");
        }));
        RoutingSnapshot served = proxy.lastApplied().orElseThrow();
        assertThat(served.services()).anySatisfy(s -> {
            assertThat(s).isInstanceOf(io.sluice.snapshot.Service.Weighted.class);
            io.sluice.snapshot.Service.Weighted w = (io.sluice.snapshot.Service.Weighted) s;
            assertThat(w.id()).isEqualTo("traefikservice/default/canary");
            assertThat(w.services()).extracting(io.sluice.snapshot.Service.WeightedTarget::weight)
                    .containsExactly(90, 10);
            assertThat(w.sticky().cookieName()).isEqualTo("split");
        });

        await().atMost(WAIT).untilAsserted(() -> {
            for (String name : List.of("ping", "pong")) {
                Condition accepted = condition(name, Conditions.ACCEPTED);
                assertThat(accepted).as(name).isNotNull();
                assertThat(accepted.getStatus()).as(name).isEqualTo("False");
                assertThat(accepted.getMessage()).as(name)
                        .contains("reference cycle default/ping -> default/pong -> default/ping");
                assertThat(condition(name, Conditions.PROGRAMMED).getReason()).isEqualTo("NotAccepted");
            }
        });
        assertThat(proxy.lastApplied().orElseThrow().services())
                .noneMatch(s -> s.id().startsWith("traefikservice/default/p"));
    }

    @Test
    void missingReferenceIsReportedOnTheTraefikServiceAndFailsItsShareClosed() {
        cluster.apply(TraefikService.class, """
                apiVersion: sluice.io/v1alpha1
                kind: TraefikService
                metadata: {name: split, namespace: default}
                spec:
                  weighted:
                    services:
                    - {name: web, port: 80}
                    - {name: nowhere, kind: TraefikService}
                """);
        cluster.apply(IngressRoute.class, """
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: shop, namespace: default}
                spec:
                  routes:
                  - match: Host(`shop.example.com`)
                    kind: Rule
                    services: [{name: split, kind: TraefikService}]
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            Condition resolved = condition("split", Conditions.RESOLVED_REFS);
            assertThat(resolved).isNotNull();
            assertThat(resolved.getStatus()).isEqualTo("False");
            assertThat(resolved.getReason()).isEqualTo("RefNotResolved");
            assertThat(resolved.getMessage()).contains("spec.weighted.services[1]",
                    "TraefikService default/nowhere not found");
            assertThat(condition("split", Conditions.ACCEPTED).getStatus()).isEqualTo("True");
        });
        assertThat(proxy.lastApplied().orElseThrow().services()).anySatisfy(s -> {
            assertThat(s.id()).isEqualTo("traefikservice/default/split");
            assertThat(((io.sluice.snapshot.Service.Weighted) s).services())
                    .extracting(io.sluice.snapshot.Service.WeightedTarget::service)
                    .containsExactly("traefikservice/default/split/0", "sluice/unavailable");
        });
    }

    private TraefikService stored(String name) {
        return cluster.stored(TraefikService.class, name);
    }

    private Condition condition(String name, String type) {
        TraefikService ts = stored(name);
        return ts == null || ts.getStatus() == null ? null : Conditions.find(ts.getStatus().conditions(), type);
    }
}
