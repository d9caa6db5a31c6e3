package io.sluice.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.status.Conditions;
import io.sluice.snapshot.RoutingSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's whole loop against the fabric8 mock API server (CRUD mode) and real in-process proxies: objects
 * applied through the API end up in the proxies' snapshots, and the statuses and Events say so honestly.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterModeIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    KubernetesClient client;

    @TempDir
    Path dir;

    private final List<InProcessProxy> proxies = new ArrayList<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Path tokenFile;
    private MockClusterFixture cluster;

    @BeforeEach
    void backend() throws Exception {
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "it-token\n");
        cluster = new MockClusterFixture(client);
        cluster.webService();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        proxies.forEach(InProcessProxy::close);
    }

    @Test
    void appliedIngressRouteReachesTheProxyAndBecomesProgrammedForItsGeneration() throws Exception {
        InProcessProxy proxy = startProxy();
        startOperator(IngressAddresses.none());

        apply(IngressRoute.class, route("shop", "Host(`shop.example.com`)"));

        await().atMost(WAIT).until(() -> proxy.lastApplied()
                .map(s -> routerIds(s).contains("ingressroute/default/shop/0")).orElse(false));
        long generation = stored("shop").getMetadata().getGeneration();
        await().atMost(WAIT).untilAsserted(() -> {
            Condition programmed = condition("shop", Conditions.PROGRAMMED);
            assertThat(programmed).isNotNull();
            assertThat(programmed.getStatus()).as(programmed.getReason() + ": " + programmed.getMessage())
                    .isEqualTo("True");
            assertThat(programmed.getObservedGeneration()).isEqualTo(generation);
        });
        assertThat(condition("shop", Conditions.ACCEPTED).getStatus()).isEqualTo("True");
        assertThat(condition("shop", Conditions.RESOLVED_REFS).getStatus()).isEqualTo("True");
        assertThat(stored("shop").getStatus().hosts()).containsExactly("shop.example.com");

        client.resources(IngressRoute.class).inNamespace("default").withName("shop")
                .edit(r -> Serialization.unmarshal(route("shop", "Host(`shop2.example.com`)"), IngressRoute.class));
        long newGeneration = stored("shop").getMetadata().getGeneration();
        assertThat(newGeneration).isGreaterThan(generation);
        await().atMost(WAIT).untilAsserted(() -> {
            Condition programmed = condition("shop", Conditions.PROGRAMMED);
            // the mock server's replace drops the status until the writer sets it again
            assertThat(programmed).isNotNull();
            assertThat(programmed.getStatus()).isEqualTo("True");
            assertThat(programmed.getObservedGeneration()).isEqualTo(newGeneration);
        });
        assertThat(proxy.lastApplied().orElseThrow().routers().stream()
                .filter(r -> r.id().equals("ingressroute/default/shop/0"))
                .findFirst().orElseThrow().match().toString()).contains("shop2.example.com");
    }

    @Test
    void invalidIngressRouteIsNotAcceptedWhileTheValidOneIsProgrammed() throws Exception {
        startProxy();
        startOperator(IngressAddresses.none());

        apply(IngressRoute.class, route("good", "PathPrefix(`/good`)"));
        apply(IngressRoute.class, route("typo", "Hots(`typo.example.com`)"));

        await().atMost(WAIT).untilAsserted(() -> {
            Condition accepted = condition("typo", Conditions.ACCEPTED);
            assertThat(accepted).isNotNull();
            assertThat(accepted.getStatus()).isEqualTo("False");
            assertThat(accepted.getReason()).isEqualTo("Invalid");
            assertThat(accepted.getMessage()).contains("spec.routes[0].match", "unknown matcher 'Hots'");
            assertThat(condition("typo", Conditions.PROGRAMMED).getReason()).isEqualTo("NotAccepted");
            assertThat(condition("good", Conditions.PROGRAMMED).getStatus()).isEqualTo("True");
        });
        assertThat(registry.scrape()).contains("sluice_objects_invalid{kind=\"IngressRoute\"} 1.0");

        await().atMost(WAIT).until(() -> !rejectedEvents("typo").isEmpty());
        Event event = rejectedEvents("typo").get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("IngressRoute");
        assertThat(event.getInvolvedObject().getApiVersion()).isEqualTo("sluice.io/v1alpha1");
        assertThat(event.getMessage()).startsWith("IngressRoute default/typo: spec.routes[0].match: ")
                .contains("unknown matcher 'Hots'");
        assertThat(rejectedEvents("good")).isEmpty();
    }

    @Test
    void rejectedMiddlewareGetsAnEventNamingItsReasonButNoSecretContent() throws Exception {
        startProxy();
        startOperator(IngressAddresses.none());
        apply(io.fabric8.kubernetes.api.model.Secret.class, """
                apiVersion: v1
                kind: Secret
                metadata: {name: auth, namespace: default}
                stringData: {password: hunter2-not-users}
                """);
        apply(io.sluice.operator.crd.Middleware.class, """
                apiVersion: sluice.io/v1alpha1
                kind: Middleware
                metadata: {name: login, namespace: default}
                spec:
                  basicAuth: {secret: auth}
                """);

        await().atMost(WAIT).until(() -> !rejectedEvents("login").isEmpty());
        Event event = rejectedEvents("login").get(0);
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Middleware");
        assertThat(event.getMessage()).isEqualTo(
                "Middleware default/login: spec: basicAuth Secret default/auth has no \"users\" key")
                .doesNotContain("hunter2");
        await().atMost(WAIT).untilAsserted(() -> {
            io.sluice.operator.crd.Middleware login = client.resources(io.sluice.operator.crd.Middleware.class)
                    .inNamespace("default").withName("login").get();
            assertThat(login.getStatus()).isNotNull();
            Condition resolved = Conditions.find(login.getStatus().conditions(), Conditions.RESOLVED_REFS);
            assertThat(resolved.getStatus()).isEqualTo("False");
            assertThat(resolved.getMessage()).contains("default/auth").doesNotContain("hunter2");
        });
        assertThat(registry.scrape()).contains("sluice_objects_invalid{kind=\"Middleware\"} 1.0");
    }

    @Test
    void middlewareUsedByARouteIsAcceptedAndProgrammedAMissingOneFailsTheRouteClosed() throws Exception {
        InProcessProxy proxy = startProxy();
        startOperator(IngressAddresses.none());

        apply(io.sluice.operator.crd.Middleware.class, """
                apiVersion: sluice.io/v1alpha1
                kind: Middleware
                metadata: {name: strip, namespace: default}
                spec:
                  stripPrefix: {prefixes: [/api]}
                """);
        apply(IngressRoute.class, """
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: api, namespace: default}
                spec:
                  routes:
                  - match: PathPrefix(`/api`)
                    kind: Rule
                    middlewares: [{name: strip}]
                    services: [{name: web, port: 80}]
                  - match: PathPrefix(`/admin`)
                    kind: Rule
                    middlewares: [{name: missing}]
                    services: [{name: web, port: 80}]
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            io.sluice.operator.crd.Middleware strip = client.resources(io.sluice.operator.crd.Middleware.class)
                    .inNamespace("default").withName("strip").get();
            assertThat(strip.getStatus()).isNotNull();
            assertThat(Conditions.find(strip.getStatus().conditions(), Conditions.ACCEPTED).getStatus())
                    .isEqualTo("True");
            assertThat(Conditions.find(strip.getStatus().conditions(), Conditions.PROGRAMMED).getStatus())
                    .isEqualTo("True");
            Condition resolved = condition("api", Conditions.RESOLVED_REFS);
            assertThat(resolved).isNotNull();
            assertThat(resolved.getStatus()).isEqualTo("False");
            assertThat(resolved.getMessage()).contains("missing");
            Condition programmed = condition("api", Conditions.PROGRAMMED);
            assertThat(programmed.getStatus()).as("a route that answers 503 is not programmed").isEqualTo("False");
            assertThat(programmed.getReason()).isEqualTo("RefNotResolved");
        });
        RoutingSnapshot served = proxy.lastApplied().orElseThrow();
        assertThat(served.routers().stream().filter(r -> r.id().equals("ingressroute/default/api/1")).findFirst()
                .orElseThrow().service()).isEqualTo("sluice/unavailable");
    }

    @Test
    void aProxyThatRejectsKeepsProgrammedFalse() throws Exception {
        startProxy();
        InProcessProxy refusing = startProxy();
        refusing.refuseWith(List.of("router ingressroute/default/shop/0: unsupported"));
        startOperator(IngressAddresses.none());

        apply(IngressRoute.class, route("shop", "Host(`shop.example.com`)"));

        await().atMost(WAIT).untilAsserted(() -> {
            Condition programmed = condition("shop", Conditions.PROGRAMMED);
            assertThat(programmed).isNotNull();
            assertThat(programmed.getStatus()).isEqualTo("False");
            assertThat(programmed.getReason()).isEqualTo("ProxyRejected");
            assertThat(programmed.getMessage()).startsWith("1 of 2 proxies");
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> "False".equals(condition("shop", Conditions.PROGRAMMED).getStatus()));
        assertThat(refusing.applied()).isEmpty();
    }

    @Test
    void noProxyMeansNoProxiesAndNotProgrammed() throws Exception {
        startOperator(IngressAddresses.none());
        apply(IngressRoute.class, route("shop", "Host(`shop.example.com`)"));
        await().atMost(WAIT).untilAsserted(() -> {
            Condition programmed = condition("shop", Conditions.PROGRAMMED);
            assertThat(programmed).isNotNull();
            assertThat(programmed.getReason()).isEqualTo("NoProxies");
        });
    }

    @Test
    void ingressWithBadAnnotationGetsOneEventAndItsPublishedAddress() throws Exception {
        startProxy();
        startOperator(IngressAddresses.fixed(List.of("203.0.113.7")));

        apply(Ingress.class, ingress("legacy", "sluice.io/router.priority: \"high\""));
        apply(Ingress.class, ingress("site", "sluice.io/router.priority: \"5\""));

        await().atMost(WAIT).until(() -> !rejectedEvents("legacy").isEmpty());
        Event event = rejectedEvents("legacy").get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).contains("sluice.io/router.priority");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Ingress");
        await().atMost(WAIT).untilAsserted(() -> {
            Ingress ingress = client.network().v1().ingresses().inNamespace("default").withName("site").get();
            assertThat(ingress.getStatus()).isNotNull();
            assertThat(ingress.getStatus().getLoadBalancer()).isNotNull();
            assertThat(ingress.getStatus().getLoadBalancer().getIngress()).hasSize(1);
            assertThat(ingress.getStatus().getLoadBalancer().getIngress().get(0).getIp()).isEqualTo("203.0.113.7");
        });

        // a rejected Ingress is not routed, so it is not given the address
        Ingress legacy = client.network().v1().ingresses().inNamespace("default").withName("legacy").get();
        assertThat(legacy.getStatus() == null || legacy.getStatus().getLoadBalancer() == null
                || legacy.getStatus().getLoadBalancer().getIngress().isEmpty()).isTrue();
        assertThat(rejectedEvents("site")).isEmpty();

        // more rebuilds with the same problem: no second Event
        for (int i = 0; i < 3; i++) {
            apply(Service.class, "apiVersion: v1\nkind: Service\nmetadata: {name: other" + i
                    + ", namespace: default}\nspec:\n  ports: [{port: 80}]\n");
            Thread.sleep(300);
        }
        assertThat(rejectedEvents("legacy")).hasSize(1);
    }

    @Test
    void nothingChangedMeansNoStatusWrite() throws Exception {
        startProxy();
        startOperator(IngressAddresses.none());
        apply(IngressRoute.class, route("shop", "Host(`shop.example.com`)"));
        await().atMost(WAIT).until(() -> {
            Condition programmed = condition("shop", Conditions.PROGRAMMED);
            return programmed != null && "True".equals(programmed.getStatus());
        });
        Thread.sleep(500);
        String resourceVersion = stored("shop").getMetadata().getResourceVersion();
        double writes = statusWrites();

        for (int i = 0; i < 3; i++) {
            apply(Service.class, "apiVersion: v1\nkind: Service\nmetadata: {name: unrelated" + i
                    + ", namespace: default}\nspec:\n  ports: [{port: 80}]\n");
            Thread.sleep(300);
        }
        Thread.sleep(1000);

        assertThat(stored("shop").getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
        assertThat(statusWrites()).isEqualTo(writes);
        assertThat(registry.scrape()).contains("sluice_reconciles_total", "sluice_snapshot_build_seconds_count",
                "sluice_snapshot_bytes");
    }

    private InProcessProxy startProxy() throws Exception {
        InProcessProxy proxy = new InProcessProxy(tokenFile);
        proxies.add(proxy);
        cluster.registerProxy("proxy-admin-" + proxies.size(), proxy.pushPort());
        return proxy;
    }

    private void startOperator(IngressAddresses addresses) {
        cluster.startLeader(tokenFile, addresses, registry);
    }

    private double statusWrites() {
        return registry.get("sluice.status.writes").tag("kind", "IngressRoute").counter().count();
    }

    private List<Event> rejectedEvents(String object) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> object.equals(e.getInvolvedObject().getName()))
                .filter(e -> RejectionEvents.REASON.equals(e.getReason())).toList();
    }

    private <T extends HasMetadata> void apply(Class<T> type, String yaml) {
        cluster.apply(type, yaml);
    }

    private IngressRoute stored(String name) {
        return client.resources(IngressRoute.class).inNamespace("default").withName(name).get();
    }

    private Condition condition(String name, String type) {
        IngressRoute route = stored(name);
        return route == null || route.getStatus() == null ? null
                : Conditions.find(route.getStatus().conditions(), type);
    }

    private static List<String> routerIds(RoutingSnapshot snapshot) {
        return snapshot.routers().stream().map(r -> r.id()).filter(Objects::nonNull).toList();
    }

    private static String ingress(String name, String annotation) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: %s
                  namespace: default
                  annotations:
                    kubernetes.io/ingress.class: sluice
                    %s
                spec:
                  rules:
                  - host: %s.example.com
                    http:
                      paths:
                      - path: /
                        pathType: Prefix
                        backend: {service: {name: web, port: {number: 80}}}
                """.formatted(name, annotation, name);
    }

    private static String route(String name, String rule) {
        return """
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: %s, namespace: default}
                spec:
                  routes:
                  - match: %s
                    kind: Rule
                    services: [{name: web, port: 80}]
                """.formatted(name, rule);
    }
}
