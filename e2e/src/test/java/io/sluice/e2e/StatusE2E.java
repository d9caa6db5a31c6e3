package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.e2e.support.HttpReply;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import io.sluice.e2e.support.StatusConditions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the operator writes back on an IngressRoute as a user edits it: {@code Programmed=True} with the
 * {@code observedGeneration} of each spec change once both proxies serve it; {@code ResolvedRefs=False} naming a
 * missing Middleware or Service while the route fails closed (503); True again once the object exists.
 */
@Order(5)
@ExtendWith(SharedCluster.class)
class StatusE2E {
    private static final String HOST = "status.e2e";

    @Test
    void conditionsFollowGenerationsAndBrokenReferences(SluiceCluster cluster) throws Exception {
        cluster.namespace("status");
        cluster.backend("status", "app");
        cluster.api().applyResource("status/stamp-middleware.yaml", Map.of("name", "stamp"));

        // generation 1
        route(cluster, "/v1", "{name: stamp}", "app");
        await("Programmed at generation 1", cluster, "True Programmed 1", "True ResolvedRefs 1");
        cluster.awaitEveryProxy(HOST, "/v1", "200 app");

        // a spec change: generation 2, programmed once both proxies serve it
        route(cluster, "/v2", "{name: stamp}", "app");
        await("Programmed at generation 2", cluster, "True Programmed 2", "True ResolvedRefs 2");
        for (var proxy : cluster.proxies()) {
            HttpReply reply = proxy.get(HOST, "/v2/x");
            assertThat(reply.summary()).isEqualTo("200 app");
            assertThat(reply.backendSawHeader("X-Stamp-stamp")).hasValue("yes");
            assertThat(proxy.get(HOST, "/v1/x").summary()).as("the old path is gone").isEqualTo("404 -");
        }

        // generation 3 names a Middleware that does not exist: the route fails closed, the status says why
        route(cluster, "/v2", "{name: stamp}, {name: not-there}", "app");
        await("RefNotResolved at generation 3", cluster, "False RefNotResolved 3", "False RefNotResolved 3");
        assertThat(conditions(cluster).get("ResolvedRefs").orElseThrow().message()).contains("not-there");
        cluster.awaitEveryProxy(HOST, "/v2/x", "503 -");

        // the Middleware is created: same generation, references resolved, served through both middlewares
        cluster.api().applyResource("status/stamp-middleware.yaml", Map.of("name", "not-there"));
        await("resolved at generation 3", cluster, "True Programmed 3", "True ResolvedRefs 3");
        cluster.awaitEveryProxy(HOST, "/v2/x", Duration.ofSeconds(30),
                r -> r.status() == 200 && r.backendSawHeader("X-Stamp-stamp").equals(Optional.of("yes"))
                        && r.backendSawHeader("X-Stamp-not-there").equals(Optional.of("yes")));

        // generation 4 names a Service that does not exist: 503, RefNotResolved naming it; then it appears
        route(cluster, "/v2", "{name: stamp}", "ghost");
        await("missing Service at generation 4", cluster, "False RefNotResolved 4", "False RefNotResolved 4");
        assertThat(conditions(cluster).get("ResolvedRefs").orElseThrow().message()).contains("ghost");
        cluster.awaitEveryProxy(HOST, "/v2/x", "503 -");
        cluster.backend("status", "ghost");
        await("Service found at generation 4", cluster, "True Programmed 4", "True ResolvedRefs 4");
        cluster.awaitEveryProxy(HOST, "/v2/x", "200 ghost");
    }

    private static void route(SluiceCluster cluster, String path, String middlewares, String service) {
        cluster.api().applyResource("status/route.yaml",
                Map.of("path", path, "middlewares", middlewares, "service", service));
    }

    private static StatusConditions conditions(SluiceCluster cluster) {
        return StatusConditions.of(cluster.api().sluice("IngressRoute", "status", "tracked"));
    }

    private static void await(String what, SluiceCluster cluster, String programmed, String resolvedRefs) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    StatusConditions status = conditions(cluster);
                    assertThat(status.summary("ResolvedRefs") + ", " + status.summary("Programmed"))
                            .isEqualTo(resolvedRefs + ", " + programmed);
                });
    }
}
