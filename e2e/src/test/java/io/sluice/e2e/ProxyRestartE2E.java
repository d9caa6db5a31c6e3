package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A proxy killed (SIGKILL) and started again at the same address, as a container restarts in its pod: it holds
 * no routes (no last-known-good file), so it must report not ready until the operator has pushed it the current
 * snapshot, and serve the routes from the moment it reports ready. The other proxy keeps serving throughout.
 */
@Order(8)
@ExtendWith(SharedCluster.class)
class ProxyRestartE2E {
    private static final String HOST = "restart.e2e";

    @Test
    void aRestartedProxyIsNotReadyUntilItHoldsTheSnapshot(SluiceCluster cluster) throws Exception {
        cluster.namespace("restart");
        cluster.backend("restart", "app");
        cluster.api().apply("""
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: restart, namespace: restart}
                spec:
                  routes:
                    - {match: Host(`restart.e2e`), kind: Rule, services: [{name: app, port: http}]}
                """);
        cluster.awaitEveryProxy(HOST, "/", "200 app");
        ProxyProcess restarted = cluster.proxy(1);
        ProxyProcess.SnapshotVersion current = cluster.proxy(0).snapshotVersion();
        assertThat(restarted.readiness()).isEqualTo(200);

        restarted.kill();
        assertThat(restarted.readiness()).as("nothing listens").isZero();
        long start = System.nanoTime();
        restarted.start();

        // every /ready answer until the first 200, and what the web port answered meanwhile
        List<Integer> readiness = new ArrayList<>();
        List<String> servedWhileNotReady = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            // the request first: if /ready still fails after it, the request was answered without a snapshot
            String served = restarted.get(HOST, "/").summary();
            int status = restarted.readiness();
            if (readiness.isEmpty() || readiness.get(readiness.size() - 1) != status) {
                readiness.add(status);
            }
            if (status == 503) {
                servedWhileNotReady.add(served);
            }
            return status == 200;
        });
        // once ready it serves at once, the same version as its peer
        String firstAnswer = restarted.get(HOST, "/").summary();
        System.out.printf("e2e proxy restart: /ready sequence %s, ready after %.2f s%n", readiness,
                (System.nanoTime() - start) / 1e9);

        assertThat(readiness).as("/ready answers after the restart").containsSubsequence(503, 200);
        assertThat(readiness.get(readiness.size() - 1)).isEqualTo(200);
        assertThat(servedWhileNotReady).as("no route before the snapshot").isNotEmpty().doesNotContain("200 app");
        assertThat(firstAnswer).isEqualTo("200 app");
        assertThat(restarted.snapshotVersion()).isEqualTo(current);
        assertThat(cluster.proxy(0).get(HOST, "/").summary()).isEqualTo("200 app");
    }
}
