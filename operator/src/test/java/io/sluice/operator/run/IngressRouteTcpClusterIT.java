package io.sluice.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.operator.crd.IngressRouteTCP;
import io.sluice.operator.status.Conditions;
import io.sluice.snapshot.RoutingSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IngressRouteTCPs in cluster mode, against the fabric8 mock API server (CRUD mode), the real reconcilers and a real
 * in-process proxy: a passthrough route reaches the proxy as a TCP router and becomes Programmed, with its server
 * names in the status; one asking for terminated TCP is not accepted and says why.
 */
@EnableKubernetesMockClient(crud = true)
class IngressRouteTcpClusterIT {
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
    void passthroughRouteIsServedAndProgrammedTerminatedTcpIsRefused() {
        cluster.apply(IngressRouteTCP.class, """
                apiVersion: sluice.io/v1alpha1
                kind: IngressRouteTCP
                metadata: {name: db, namespace: default}
                spec:
                  entryPoints: [websecure]
                  routes:
                  - match: HostSNI(`db.example.com`) || HostSNI(`db2.example.com`)
                    services:
                    - {name: web, port: 80}
                  tls:
                    passthrough: true
                """);
        cluster.apply(IngressRouteTCP.class, """
                apiVersion: sluice.io/v1alpha1
                kind: IngressRouteTCP
                metadata: {name: terminated, namespace: default}
                spec:
                  routes:
                  - match: HostSNI(`t.example.com`)
                    services:
                    - {name: web, port: 80}
                  tls:
                    secretName: t-tls
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            Condition programmed = condition("db", Conditions.PROGRAMMED);
            assertThat(programmed).isNotNull();
            assertThat(programmed.getStatus()).as(programmed.getReason() + ": " + programmed.getMessage())
                    .isEqualTo("True");
            assertThat(programmed.getObservedGeneration()).isEqualTo(stored("db").getMetadata().getGeneration());
        });
        assertThat(condition("db", Conditions.ACCEPTED).getStatus()).isEqualTo("True");
        assertThat(condition("db", Conditions.RESOLVED_REFS).getStatus()).isEqualTo("True");
        assertThat(stored("db").getStatus().hosts()).containsExactly("db.example.com", "db2.example.com");
        RoutingSnapshot served = proxy.lastApplied().orElseThrow();
        assertThat(served.tcpRouters()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("ingressroutetcp/default/db/0");
            assertThat(r.hostSni()).containsExactly("db.example.com", "db2.example.com");
            assertThat(r.entryPoints()).containsExactly("websecure");
        });
        assertThat(served.tcpServices()).singleElement().satisfies(s -> assertThat(s.backends())
                .singleElement().satisfies(b -> assertThat(b.endpoints()).extracting(e -> e.authority())
                        .containsExactly("10.1.0.1:8080")));

        await().atMost(WAIT).untilAsserted(() -> {
            Condition accepted = condition("terminated", Conditions.ACCEPTED);
            assertThat(accepted).isNotNull();
            assertThat(accepted.getStatus()).isEqualTo("False");
            assertThat(accepted.getMessage()).contains("spec.tls.passthrough", "only TLS passthrough is supported");
            assertThat(condition("terminated", Conditions.PROGRAMMED).getReason()).isEqualTo("NotAccepted");
        });
    }

    private IngressRouteTCP stored(String name) {
        return cluster.stored(IngressRouteTCP.class, name);
    }

    private Condition condition(String name, String type) {
        IngressRouteTCP irt = stored(name);
        return irt == null || irt.getStatus() == null ? null : Conditions.find(irt.getStatus().conditions(), type);
    }
}
