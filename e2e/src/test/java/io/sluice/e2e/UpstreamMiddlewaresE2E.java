package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.e2e.support.EchoBackends;
import io.sluice.e2e.support.HttpReply;
import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The middlewares that act on the upstream exchange (retry, circuitBreaker, compress, errors), from
 * middlewares/upstream.yaml, one host each, through every proxy: a Service with one endpoint refusing
 * connections next to a good one, and a backend answering 500 under {@code /fail}.
 */
@Order(7)
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamMiddlewaresE2E {
    private static final String NS = "upstream";

    /** 500 for paths under {@code /fail}, 200 otherwise. */
    private static final EchoBackends.Answer FAIL_UNDER_FAIL =
            exchange -> exchange.getRequestURI().getPath().startsWith("/fail") ? 500 : 200;

    private SluiceCluster cluster;

    @BeforeAll
    void applyTheMiddlewares(SluiceCluster cluster) throws Exception {
        this.cluster = cluster;
        cluster.namespace(NS);
        cluster.backend(NS, "failing", FAIL_UNDER_FAIL);
        cluster.backend(NS, "pages");
        int good = cluster.startBackend("half-dead", EchoBackends.Answer.OK);
        cluster.publishBackends(NS, "half-dead", good, SluiceCluster.freePort());
        cluster.api().applyResource("middlewares/upstream.yaml");
        cluster.awaitEveryProxy("compress.upstream.e2e", "/", "200 failing");
        cluster.awaitEveryProxy("noretry.upstream.e2e", "/", Duration.ofSeconds(30), r -> r.status() == 502);
    }

    private static String host(String name) {
        return name + "." + NS + ".e2e";
    }

    @Test
    void retryTakesAnotherEndpointWhenOneRefusesConnections() {
        for (ProxyProcess proxy : cluster.proxies()) {
            List<String> withRetry = new ArrayList<>();
            List<String> without = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                withRetry.add(proxy.get(host("retry"), "/").summary());
                without.add(proxy.get(host("noretry"), "/").summary());
            }
            assertThat(withRetry).as("retry").containsOnly("200 half-dead");
            assertThat(without).as("the same Service without retry").contains("502 -");
        }
    }

    @Test
    void circuitBreakerOpensOnFailuresAndAnswersItself() {
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.get(host("breaker"), "/fail").summary()).isEqualTo("500 failing");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(
                    () -> proxy.get(host("breaker"), "/fail").summary().equals("503 -"));
            assertThat(proxy.get(host("breaker"), "/fine").summary()).as("open: the backend is not asked")
                    .isEqualTo("503 -");
        }
    }

    @Test
    void compressGzipsWhenTheClientAcceptsIt() {
        for (ProxyProcess proxy : cluster.proxies()) {
            HttpReply gzipped = proxy.get(host("compress"), "/page", Map.of("Accept-Encoding", "br;q=0, gzip"));
            assertThat(gzipped.summary()).isEqualTo("200 failing");
            assertThat(gzipped.header("Content-Encoding")).hasValue("gzip");
            assertThat(gzipped.header("Vary")).hasValueSatisfying(v -> assertThat(v).containsIgnoringCase(
                    "Accept-Encoding"));
            assertThat(gzipped.backendPath()).as("decompressed body").isEqualTo("/page");

            HttpReply plain = proxy.get(host("compress"), "/page");
            assertThat(plain.header("Content-Encoding")).as("no Accept-Encoding").isEmpty();
            assertThat(plain.backendPath()).isEqualTo("/page");
        }
    }

    @Test
    void errorsReplacesAnErrorBodyWithAPageFromAnotherService() {
        for (ProxyProcess proxy : cluster.proxies()) {
            HttpReply failed = proxy.get(host("errors"), "/fail/order");
            assertThat(failed.status()).as("the original status").isEqualTo(500);
            assertThat(failed.body()).as("the page from the pages Service").startsWith("pages GET /500.html");
            assertThat(proxy.get(host("errors"), "/ok").summary()).isEqualTo("200 failing");
        }
    }
}
