package io.sluice.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.IngressRouteStatus;
import io.sluice.operator.push.ServiceRef;
import io.sluice.operator.translate.ClusterView;
import io.sluice.operator.translate.TranslationOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
/** The JOSDK controllers behind {@link ClusterCache} against the mock API server: what signals and what does not. */
class ClusterCacheIT {
    KubernetesClient client;

    private final AtomicInteger signals = new AtomicInteger();
    private ClusterCache cache;

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    void watchedNamespacesLimitTheViewAndEveryChangeSignals() {
        apply(Service.class, service("a", "one"));
        apply(Service.class, service("b", "two"));
        cache = new ClusterCache(client, List.of("a"), signals::incrementAndGet);
        cache.start();
        assertThat(cache.synced()).isTrue();

        ClusterView view = cache.view(TranslationOptions.DEFAULTS);
        assertThat(view.services()).extracting(s -> s.getMetadata().getName()).containsExactly("one");

        int before = signals.get();
        apply(Service.class, service("a", "three"));
        await().atMost(Duration.ofSeconds(10)).until(() -> signals.get() > before);
        assertThat(cache.view(TranslationOptions.DEFAULTS).services()).hasSize(2);

        int afterAdd = signals.get();
        apply(Service.class, service("b", "four"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> signals.get() == afterAdd);
    }

    @Test
    void statusOnlyUpdatesOfOurResourcesDoNotSignal() {
        cache = new ClusterCache(client, List.of(), signals::incrementAndGet);
        cache.start();
        apply(IngressRoute.class, """
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: shop, namespace: default}
                spec:
                  routes:
                  - match: PathPrefix(`/`)
                    kind: Rule
                    services: [{name: web, port: 80}]
                """);
        // the reconciler runs after the cache holds the object: wait for its signal before counting
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.ingressRoute("default", "shop").isPresent()
                && signals.get() > 0);
        int before = signals.get();

        IngressRoute withStatus = client.resources(IngressRoute.class).inNamespace("default").withName("shop").get();
        withStatus.setStatus(new IngressRouteStatus(List.of(), List.of("shop.example.com")));
        client.resource(withStatus).updateStatus();
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.ingressRoute("default", "shop")
                .map(r -> r.getStatus() != null && !r.getStatus().hosts().isEmpty()).orElse(false));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> signals.get() == before);

        client.resources(IngressRoute.class).inNamespace("default").withName("shop").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> signals.get() > before);
        assertThat(cache.ingressRoute("default", "shop")).isEmpty();
    }

    @Test
    void annotationOnlyChangesOfAnIngressSignal() {
        cache = new ClusterCache(client, List.of(), signals::incrementAndGet);
        cache.start();
        client.resource(Serialization.unmarshal("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: site
                  namespace: default
                  annotations: {kubernetes.io/ingress.class: sluice}
                spec:
                  defaultBackend: {service: {name: web, port: {number: 80}}}
                """, Ingress.class)).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.ingress("default", "site").isPresent()
                && signals.get() > 0);
        int before = signals.get();

        client.network().v1().ingresses().inNamespace("default").withName("site")
                .edit(i -> {
                    i.getMetadata().getAnnotations().put("sluice.io/router.priority", "5");
                    return i;
                });

        await().atMost(Duration.ofSeconds(10)).until(() -> signals.get() > before);
        assertThat(cache.ingress("default", "site").orElseThrow().getMetadata().getAnnotations())
                .containsEntry("sluice.io/router.priority", "5");
    }

    @Test
    void publishServiceAddressesAreCopied() {
        Service lb = Serialization.unmarshal(service("sluice", "proxy"), Service.class);
        client.resource(lb).create();
        lb = client.services().inNamespace("sluice").withName("proxy").get();
        lb.setStatus(Serialization.unmarshal(
                "loadBalancer: {ingress: [{ip: 198.51.100.4}, {hostname: lb.example.com}]}",
                io.fabric8.kubernetes.api.model.ServiceStatus.class));
        client.resource(lb).updateStatus();

        List<IngressLoadBalancerIngress> addresses =
                IngressAddresses.ofService(client, new ServiceRef("sluice", "proxy")).get();

        assertThat(addresses).extracting(IngressLoadBalancerIngress::getIp).containsExactly("198.51.100.4", null);
        assertThat(addresses).extracting(IngressLoadBalancerIngress::getHostname)
                .containsExactly(null, "lb.example.com");
        assertThat(IngressAddresses.ofService(client, new ServiceRef("sluice", "absent")).get()).isEmpty();
        assertThat(IngressAddresses.fixed(List.of("203.0.113.9", "edge.example.com")).get())
                .extracting(IngressLoadBalancerIngress::getHostname).containsExactly(null, "edge.example.com");
    }

    private static String service(String namespace, String name) {
        return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + namespace
                + "}\nspec:\n  ports: [{port: 80}]\n";
    }

    private <T extends HasMetadata> void apply(Class<T> type, String yaml) {
        client.resource(Serialization.unmarshal(yaml, type)).create();
    }
}
