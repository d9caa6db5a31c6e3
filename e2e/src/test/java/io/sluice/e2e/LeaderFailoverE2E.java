package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.e2e.support.OperatorProcess;
import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two operator replicas with leader election: the leader is killed (SIGKILL, so its Lease is not released and
 * must expire); the other replica takes the Lease and pushes the next change with a higher epoch, while requests
 * keep flowing. Then the last operator is killed too: the proxies keep serving their last snapshot.
 */
@Order(9)
@ExtendWith(SharedCluster.class)
class LeaderFailoverE2E {
    private static final String HOST = "failover.e2e";

    @Test
    void theStandbyTakesOverAndTrafficKeepsFlowing(SluiceCluster cluster) throws Exception {
        cluster.namespace("failover");
        cluster.backend("failover", "app");
        route(cluster, "before", "/before");
        cluster.awaitEveryProxy(HOST, "/before", "200 app");
        OperatorProcess leader = await().atMost(Duration.ofSeconds(10)).until(() -> cluster.leader().orElse(null),
                l -> l != null);
        OperatorProcess standby = cluster.operators().stream().filter(o -> o != leader).findFirst().orElseThrow();
        long epochBefore = cluster.proxy(0).snapshotVersion().epoch();

        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        Thread stream = new Thread(() -> {
            while (running.get()) {
                for (ProxyProcess proxy : cluster.proxies()) {
                    seen.merge(proxy.get(HOST, "/before").summary(), 1, Integer::sum);
                }
            }
        });
        stream.start();
        long killed;
        try {
            leader.kill();
            killed = System.nanoTime();
            route(cluster, "after", "/after");
            cluster.awaitEveryProxy(HOST, "/after", Duration.ofSeconds(60), r -> r.summary().equals("200 app"));
        } finally {
            running.set(false);
            stream.join();
        }
        System.out.printf("e2e leader failover: change served %.2f s after the leader was killed; requests %s%n",
                (System.nanoTime() - killed) / 1e9, seen);

        assertThat(cluster.leader()).hasValue(standby);
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.snapshotVersion().epoch()).as("%s serves the new leader's epoch", proxy.name())
                    .isGreaterThan(epochBefore);
        }
        assertThat(seen.keySet()).as("every request during the failover answered").containsOnly("200 app");

        // no operator at all: the proxies keep serving what they hold
        standby.kill();
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.get(HOST, "/before").summary()).isEqualTo("200 app");
            assertThat(proxy.get(HOST, "/after").summary()).isEqualTo("200 app");
            assertThat(proxy.readiness()).isEqualTo(200);
        }
    }

    private static void route(SluiceCluster cluster, String name, String path) {
        cluster.api().apply("""
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: %s, namespace: failover}
                spec:
                  routes:
                    - {match: "Host(`failover.e2e`) && PathPrefix(`%s`)", kind: Rule, services: [{name: app, port: http}]}
                """.formatted(name, path));
    }
}
