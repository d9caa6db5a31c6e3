package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which Ingresses are Sluice's: {@code spec.ingressClassName} naming our IngressClass, the legacy
 * {@code kubernetes.io/ingress.class} annotation, and no class at all once our class is the cluster default.
 * Ingresses of another controller's class are never served (ingress-classes/ingresses.yaml).
 */
@Order(3)
@ExtendWith(SharedCluster.class)
class IngressClassE2E {
    @Test
    void onlyOurIngressesAreServed(SluiceCluster cluster) throws Exception {
        cluster.namespace("classes");
        cluster.backend("classes", "app");
        cluster.api().applyResource("ingress-classes/ingresses.yaml");

        cluster.awaitEveryProxy("class-name-ours.classes.e2e", "/", "200 app");
        cluster.awaitEveryProxy("annotation-ours.classes.e2e", "/", "200 app");
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.get("class-name-other.classes.e2e", "/").summary()).isEqualTo("404 -");
            assertThat(proxy.get("class-name-unknown.classes.e2e", "/").summary()).isEqualTo("404 -");
            assertThat(proxy.get("annotation-other.classes.e2e", "/").summary()).isEqualTo("404 -");
            assertThat(proxy.get("no-class.classes.e2e", "/").summary()).as("no default class yet").isEqualTo("404 -");
        }

        // our IngressClass becomes the cluster default: the Ingress without a class is ours now, the others not
        cluster.api().applyResource("cluster/sluice-ingressclass.yaml", Map.of("default", "true"));
        try {
            cluster.awaitEveryProxy("no-class.classes.e2e", "/", "200 app");
            for (ProxyProcess proxy : cluster.proxies()) {
                assertThat(proxy.get("class-name-other.classes.e2e", "/").summary()).isEqualTo("404 -");
                assertThat(proxy.get("annotation-other.classes.e2e", "/").summary()).isEqualTo("404 -");
                assertThat(proxy.get("class-name-ours.classes.e2e", "/").summary()).isEqualTo("200 app");
            }
        } finally {
            cluster.api().applyResource("cluster/sluice-ingressclass.yaml", Map.of("default", "false"));
        }
        cluster.awaitEveryProxy("no-class.classes.e2e", "/", "404 -");
    }
}
