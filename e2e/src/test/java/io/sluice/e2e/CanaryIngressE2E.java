package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Canary Ingresses as ingress-nginx users write them ({@code ingress-canary/canary.yaml}): a second Ingress with
 * {@code sluice.io/canary.weight: "25"} for the same host and path takes about a quarter of the main Ingress's
 * requests on every proxy; a canary without a main Ingress serves nothing.
 */
@Order(7)
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanaryIngressE2E {
    private static final String NS = "canary";
    private static final int REQUESTS = 200;

    private SluiceCluster cluster;

    @BeforeAll
    void applyTheIngresses(SluiceCluster cluster) throws Exception {
        this.cluster = cluster;
        cluster.namespace(NS);
        cluster.backend(NS, "stable");
        cluster.backend(NS, "fresh");
        cluster.api().applyResource("ingress-canary/canary.yaml");
        cluster.awaitEveryProxy("shop.canary.e2e", "/", Duration.ofSeconds(30), r -> r.summary().equals("200 fresh"));
    }

    @Test
    void theCanaryTakesItsWeightOfTheMainIngresssTraffic() {
        for (ProxyProcess proxy : cluster.proxies()) {
            Map<String, Integer> counts = new HashMap<>();
            IntStream.range(0, REQUESTS).forEach(i -> counts.merge(proxy.get("shop.canary.e2e", "/").summary(), 1,
                    Integer::sum));
            assertThat(counts.keySet()).as("%s: %s", proxy.name(), counts).containsOnly("200 stable", "200 fresh");
            // weighted round robin: 25 of every 100 requests, whatever the other suites send
            assertThat(counts.get("200 fresh")).as("%s: %s", proxy.name(), counts).isBetween(40, 60);
        }
    }

    @Test
    void aCanaryWithoutAMainIngressServesNothing() {
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.get("orphan.canary.e2e", "/").summary()).as(proxy.name()).isEqualTo("404 -");
        }
    }
}
