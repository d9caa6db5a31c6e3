package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.e2e.support.EchoBackends;
import io.sluice.e2e.support.HttpReply;
import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import io.sluice.e2e.support.StatusConditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traffic policies of IngressRoute services, from middlewares/traffic.yaml: weights across two Services, a
 * sticky cookie over a Service with two endpoints, an active health check taking an endpoint whose health
 * path fails out of rotation, least requests (p2c) against round robin over a fast and a slow endpoint,
 * per-service timeouts and mirroring.
 */
@Order(7)
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrafficPoliciesE2E {
    private static final String NS = "traffic";

    /** Fails its health path, serves everything else. */
    private static final EchoBackends.Answer SICK =
            exchange -> exchange.getRequestURI().getPath().equals("/healthz") ? 503 : 200;

    /** Answers {@code /slow} after 1 s, everything else at once. */
    private static final EchoBackends.Answer LAGGING = exchange -> {
        if (exchange.getRequestURI().getPath().equals("/slow")) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 200;
    };

    /** Answers every request after {@link #SLOW_MILLIS}. */
    private static final long SLOW_MILLIS = 800;
    private static final EchoBackends.Answer SLOW = exchange -> {
        try {
            Thread.sleep(SLOW_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 200;
    };

    /** Requests the mirror sink received on {@code /copied}. */
    private final java.util.concurrent.atomic.AtomicInteger mirrored = new java.util.concurrent.atomic.AtomicInteger();

    private SluiceCluster cluster;

    @BeforeAll
    void applyTheRoutes(SluiceCluster cluster) throws Exception {
        this.cluster = cluster;
        cluster.namespace(NS);
        cluster.backend(NS, "blue");
        cluster.backend(NS, "green");
        cluster.publishBackends(NS, "pair", cluster.startBackend("pair-a", EchoBackends.Answer.OK),
                cluster.startBackend("pair-b", EchoBackends.Answer.OK));
        cluster.publishBackends(NS, "checked", cluster.startBackend("checked-up", EchoBackends.Answer.OK),
                cluster.startBackend("checked-down", SICK));
        cluster.publishBackends(NS, "lagging", cluster.startBackend("lagging", LAGGING));
        cluster.publishBackends(NS, "flaky", cluster.startBackend("flaky-good", EchoBackends.Answer.OK),
                cluster.startBackend("flaky-bad", exchange -> 500));
        cluster.publishBackends(NS, "uneven", cluster.startBackend("uneven-fast", EchoBackends.Answer.OK),
                cluster.startBackend("uneven-slow", SLOW));
        cluster.publishBackends(NS, "sink", cluster.startBackend("sink", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/copied")) {
                mirrored.incrementAndGet();
            }
            return 500; // a mirror's answer never reaches the client
        }));
        cluster.api().applyResource("middlewares/traffic.yaml");
        cluster.awaitEveryProxy("weighted.traffic.e2e", "/", Duration.ofSeconds(30), r -> r.status() == 200);
        cluster.awaitEveryProxy("sticky.traffic.e2e", "/", Duration.ofSeconds(30), r -> r.status() == 200);
        cluster.awaitEveryProxy("impatient.traffic.e2e", "/", Duration.ofSeconds(30), r -> r.status() == 200);
        cluster.awaitEveryProxy("patient.traffic.e2e", "/", Duration.ofSeconds(30), r -> r.status() == 200);
        cluster.awaitEveryProxy("mirror.traffic.e2e", "/", "200 blue");
        cluster.awaitEveryProxy("passive.traffic.e2e", "/", Duration.ofSeconds(30), r -> r.status() != 404);
        cluster.awaitEveryProxy("unguarded.traffic.e2e", "/", Duration.ofSeconds(30), r -> r.status() != 404);
        cluster.awaitEveryProxy("least.traffic.e2e", "/", Duration.ofSeconds(30), r -> r.status() == 200);
        cluster.awaitEveryProxy("roundrobin.traffic.e2e", "/", Duration.ofSeconds(30), r -> r.status() == 200);
    }

    private static String host(String name) {
        return name + "." + NS + ".e2e";
    }

    private static Map<String, Integer> backendCounts(ProxyProcess proxy, String host, int requests,
            Map<String, String> headers) {
        Map<String, Integer> counts = new HashMap<>();
        IntStream.range(0, requests).forEach(i -> counts.merge(proxy.get(host, "/", headers).summary(), 1, Integer::sum));
        return counts;
    }

    @Test
    void weightsShareTrafficBetweenServices() {
        for (ProxyProcess proxy : cluster.proxies()) {
            Map<String, Integer> counts = backendCounts(proxy, host("weighted"), 80, Map.of());
            assertThat(counts.keySet()).containsOnly("200 blue", "200 green");
            assertThat(counts.get("200 blue")).as("weight 3 of 4, %s", counts).isBetween(52, 68);
        }
    }

    @Test
    void aStickyCookieKeepsAClientOnOneEndpoint() {
        for (ProxyProcess proxy : cluster.proxies()) {
            List<HttpReply> fresh = new ArrayList<>();
            IntStream.range(0, 6).forEach(i -> fresh.add(proxy.get(host("sticky"), "/")));
            assertThat(fresh).extracting(HttpReply::summary).as("without the cookie: balanced")
                    .contains("200 pair-a", "200 pair-b");
            for (HttpReply first : fresh) {
                assertThat(first.header("Set-Cookie")).hasValueSatisfying(
                        c -> assertThat(c).startsWith("e2e_session=").containsIgnoringCase("HttpOnly"));
            }
            HttpReply onB = fresh.stream().filter(r -> r.summary().equals("200 pair-b")).findFirst().orElseThrow();
            String cookie = onB.header("Set-Cookie").orElseThrow().split(";")[0];
            for (int i = 0; i < 8; i++) {
                HttpReply again = proxy.get(host("sticky"), "/", Map.of("Cookie", cookie));
                assertThat(again.summary()).as("with the cookie").isEqualTo("200 pair-b");
                assertThat(again.header("Set-Cookie")).as("no new cookie").isEmpty();
            }
        }
    }

    @Test
    void anEndpointFailingItsHealthCheckGetsNoTraffic() {
        cluster.awaitEveryProxy(host("checked"), "/", Duration.ofSeconds(20),
                r -> r.summary().equals("200 checked-up"));
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(backendCounts(proxy, host("checked"), 12, Map.of())).as("health-checked")
                    .containsOnlyKeys("200 checked-up");
            assertThat(backendCounts(proxy, host("unchecked"), 6, Map.of())).as("the same Service unchecked")
                    .containsKey("200 checked-down");
        }
    }

    @Test
    void aServersTransportTimeoutGives504WhileTheDefaultWaits() {
        for (ProxyProcess proxy : cluster.proxies()) {
            long start = System.nanoTime();
            assertThat(proxy.get(host("impatient"), "/slow").status()).as("300 ms response-header timeout")
                    .isEqualTo(504);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
            assertThat(proxy.get(host("patient"), "/slow").summary()).as("the proxy default (60 s) waits")
                    .isEqualTo("200 lagging");
        }
    }

    /**
     * {@code clients} concurrent clients each sending {@code requests} requests one after the other; the count of
     * answers per backend.
     */
    private static Map<String, Integer> concurrentCounts(ProxyProcess proxy, String host, int clients, int requests)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                runs.add(pool.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    for (int i = 0; i < requests; i++) {
                        seen.add(proxy.get(host, "/").summary());
                    }
                    return seen;
                }));
            }
            Map<String, Integer> counts = new HashMap<>();
            for (Future<List<String>> run : runs) {
                run.get(2, TimeUnit.MINUTES).forEach(summary -> counts.merge(summary, 1, Integer::sum));
            }
            return counts;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One endpoint answers at once, the other after 800 ms. Under 8 concurrent clients, least requests (p2c)
     * keeps the slow one's share small: it only gets a request while it has no more in flight than the fast one,
     * and each of its requests stays in flight 800 ms while the fast one completes many. Round robin gives it
     * half. With in-flight counts kept about equal, the slow share is roughly {@code fast / (fast + slow)} of
     * the two round-trip times: measured 9 and 15 of 96 on the loaded 2-core build machine; the bound (under a
     * third) only breaks if a request to the fast backend takes more than about 400 ms through the proxy. Round
     * robin's share is 50 % by construction (48 of 96 measured; asserted at 40 % or more).
     */
    @Test
    void leastRequestsSendsMostTrafficToTheFasterEndpointWhereRoundRobinSplitsEvenly() throws Exception {
        int clients = 8;
        int requests = 12;
        int total = clients * requests;
        for (ProxyProcess proxy : cluster.proxies()) {
            Map<String, Integer> least = concurrentCounts(proxy, host("least"), clients, requests);
            assertThat(least.keySet()).as("p2c %s", least).containsOnly("200 uneven-fast", "200 uneven-slow");
            assertThat(least.getOrDefault("200 uneven-slow", 0)).as("p2c: slow share of %d, %s", total, least)
                    .isLessThan(total / 3);

            Map<String, Integer> roundRobin = concurrentCounts(proxy, host("roundrobin"), clients, requests);
            assertThat(roundRobin.keySet()).as("wrr %s", roundRobin)
                    .containsOnly("200 uneven-fast", "200 uneven-slow");
            assertThat(roundRobin.get("200 uneven-slow")).as("wrr: slow share of %d, %s", total, roundRobin)
                    .isGreaterThanOrEqualTo(total * 40 / 100);
        }
    }

    @Test
    void passiveHealthStopsSendingToAnEndpointAfterItsFailuresWhileTheUnguardedRouteStillDoes() {
        for (ProxyProcess proxy : cluster.proxies()) {
            List<String> guarded = new ArrayList<>();
            IntStream.range(0, 16).forEach(i -> guarded.add(proxy.get(host("passive"), "/").summary()));
            assertThat(guarded).as("maxFailedAttempts 2").filteredOn(s -> s.equals("500 flaky-bad"))
                    .hasSizeLessThanOrEqualTo(2);
            assertThat(guarded.subList(8, 16)).as("after the failures, %s", guarded).containsOnly("200 flaky-good");
            assertThat(backendCounts(proxy, host("unguarded"), 6, Map.of())).as("the same Service without it")
                    .containsKey("500 flaky-bad");
        }
    }

    /**
     * A chain a -> b -> a and a TraefikService weighting itself: each reported on its own status with the cycle
     * named, the routes using them 503, the rest served, and the statuses and snapshots settle (no reconcile loop).
     */
    @Test
    void referenceCyclesAreReportedFailClosedAndSettle() {
        cluster.api().applyResource("middlewares/cycles.yaml");
        cluster.awaitEveryProxy("chain-cycle.traffic.e2e", "/", Duration.ofSeconds(30), r -> r.status() == 503);
        cluster.awaitEveryProxy("self-weight.traffic.e2e", "/", Duration.ofSeconds(30), r -> r.status() == 503);
        org.awaitility.Awaitility.await("cycles on the statuses").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    // the one the cycle is found from names it; the other is "not usable"
                    assertThat(message("Middleware", "loop-a", "ResolvedRefs") + " / "
                            + message("Middleware", "loop-b", "ResolvedRefs"))
                            .startsWith("False ").contains(" / False ").contains("chain cycle traffic/loop-");
                    assertThat(message("TraefikService", "selfish", "Accepted"))
                            .contains("reference cycle traffic/selfish -> traffic/selfish");
                });
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(backendCounts(proxy, host("weighted"), 8, Map.of()).keySet()).as("other routes")
                    .containsOnly("200 blue", "200 green");
        }
        AtomicReference<String> last = new AtomicReference<>("");
        org.awaitility.Awaitility.await("no reconcile loop: statuses and snapshots settle")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(3))
                .until(() -> {
                    String now = settled();
                    return now.equals(last.getAndSet(now));
                });
        cluster.api().deleteResource("middlewares/cycles.yaml", Map.of());
    }

    private String message(String kind, String name, String type) {
        return StatusConditions.of(cluster.api().sluice(kind, NS, name)).get(type)
                .map(c -> c.status() + " " + c.message()).orElse("absent");
    }

    /** What a reconcile loop would keep changing: the cyclic objects' resource versions and the snapshots. */
    private String settled() {
        StringBuilder state = new StringBuilder();
        for (String[] object : new String[][] {{"Middleware", "loop-a"}, {"Middleware", "loop-b"},
            {"TraefikService", "selfish"}, {"IngressRoute", "cycles"}}) {
            state.append(cluster.api().sluice(object[0], NS, object[1]).getMetadata().getResourceVersion())
                    .append(' ');
        }
        cluster.proxies().forEach(p -> state.append(p.snapshotVersion()).append(' '));
        return state.toString();
    }

    @Test
    void aMirroringTraefikServiceCopiesEveryRequestAndDiscardsTheMirrorsAnswer() {
        for (ProxyProcess proxy : cluster.proxies()) {
            for (int i = 0; i < 10; i++) {
                assertThat(proxy.get(host("mirror"), "/copied").summary()).isEqualTo("200 blue");
            }
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(mirrored.get()).as("copies at the mirror").isEqualTo(20));
    }
}
