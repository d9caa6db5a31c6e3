package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.e2e.support.EchoBackends;
import io.sluice.e2e.support.HttpReply;
import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The middlewares that decide whether a request gets through (basicAuth from a Secret, forwardAuth to an auth
 * service, ipAllowList, rateLimit, inFlightReq, buffering), from middlewares/access.yaml, one host each, through
 * every proxy.
 */
@Order(6)
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMiddlewaresE2E {
    private static final String NS = "access";
    private static final String CAROL = "Basic Y2Fyb2w6b3Blbi1zZXNhbWU="; // carol:open-sesame

    private SluiceCluster cluster;

    /** The auth service: 200 with {@code X-Auth-User: alice} for {@code X-Token: good}, else 401. */
    private static final EchoBackends.Answer TOKEN_CHECK = exchange -> {
        if ("good".equals(exchange.getRequestHeaders().getFirst("X-Token"))) {
            exchange.getResponseHeaders().set("X-Auth-User", "alice");
            return 200;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"e2e\"");
        return 401;
    };

    /** Holds requests for {@code /slow} 2 s, so that one stays in flight. */
    private static final EchoBackends.Answer SLOW_PATH = exchange -> {
        if (exchange.getRequestURI().getPath().equals("/slow")) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 200;
    };

    @BeforeAll
    void applyTheMiddlewares(SluiceCluster cluster) throws Exception {
        this.cluster = cluster;
        cluster.namespace(NS);
        cluster.backend(NS, "vault", SLOW_PATH);
        int authPort = cluster.startBackend("auth", TOKEN_CHECK);
        cluster.api().applyResource("middlewares/access.yaml", Map.of("authPort", String.valueOf(authPort),
                "hostAddress", cluster.hostAddress()));
        cluster.awaitEveryProxy("allowed.access.e2e", "/", "200 vault");
    }

    private static String host(String name) {
        return name + "." + NS + ".e2e";
    }

    @Test
    void basicAuthChecksTheSecretsUsersAndTellsTheBackendWho() {
        for (ProxyProcess proxy : cluster.proxies()) {
            HttpReply anonymous = proxy.get(host("basic"), "/");
            assertThat(anonymous.summary()).isEqualTo("401 -");
            assertThat(anonymous.header("WWW-Authenticate")).hasValue("Basic realm=\"vault\"");
            assertThat(proxy.get(host("basic"), "/", Map.of("Authorization", "Basic Y2Fyb2w6d3Jvbmc=")).status())
                    .as("wrong password").isEqualTo(401);

            HttpReply carol = proxy.get(host("basic"), "/", Map.of("Authorization", CAROL, "X-Auth-User", "root"));
            assertThat(carol.summary()).isEqualTo("200 vault");
            assertThat(carol.backendSawHeader("X-Auth-User")).as("headerField, not the client's").hasValue("carol");
            assertThat(carol.backendSawHeader("Authorization")).as("removeHeader").isEmpty();
        }
    }

    @Test
    void forwardAuthLetsTheAuthServiceDecide() {
        for (ProxyProcess proxy : cluster.proxies()) {
            HttpReply refused = proxy.get(host("forward"), "/data", Map.of("X-Auth-User", "mallory"));
            assertThat(refused.status()).as("the auth service's answer goes to the client").isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).hasValue("Bearer realm=\"e2e\"");
            assertThat(refused.body()).as("the backend is not asked").startsWith("auth GET /check");

            HttpReply allowed = proxy.get(host("forward"), "/data", Map.of("X-Token", "good", "X-Auth-User", "mallory"));
            assertThat(allowed.summary()).isEqualTo("200 vault");
            assertThat(allowed.backendPath()).isEqualTo("/data");
            assertThat(allowed.backendSawHeader("X-Auth-User")).as("authResponseHeaders replace the client's")
                    .hasValue("alice");
        }
    }

    @Test
    void ipAllowListAdmitsListedPeersOnly() {
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.get(host("allowed"), "/").summary()).isEqualTo("200 vault");
            assertThat(proxy.get(host("denied"), "/").summary())
                    .as("%s is not in 198.51.100.0/24", cluster.hostAddress())
                    .isEqualTo("403 -");
        }
    }

    @Test
    void rateLimitAnswers429WithRetryAfterOnceTheBurstIsSpent() {
        for (ProxyProcess proxy : cluster.proxies()) {
            Map<String, String> client = Map.of("X-Client", "c-" + proxy.name());
            assertThat(proxy.get(host("rate"), "/", client).summary()).isEqualTo("200 vault");
            assertThat(proxy.get(host("rate"), "/", client).summary()).as("burst 2").isEqualTo("200 vault");
            HttpReply limited = proxy.get(host("rate"), "/", client);
            assertThat(limited.summary()).isEqualTo("429 -");
            assertThat(limited.header("Retry-After")).hasValueSatisfying(
                    s -> assertThat(Integer.parseInt(s)).isBetween(1, 60));
            assertThat(proxy.get(host("rate"), "/", Map.of("X-Client", "other-" + proxy.name())).summary())
                    .as("another source has its own bucket").isEqualTo("200 vault");
        }
    }

    @Test
    void inFlightReqRefusesASecondConcurrentRequestOfTheSameSource() throws Exception {
        for (ProxyProcess proxy : cluster.proxies()) {
            Map<String, String> tenant = Map.of("X-Tenant", "t-" + proxy.name());
            CompletableFuture<HttpReply> slow = CompletableFuture.supplyAsync(
                    () -> proxy.get(host("inflight"), "/slow", tenant));
            // while the slow request waits at the backend (2 s), a second one of the same tenant is refused
            await("a second request in flight refused").atMost(Duration.ofMillis(1500))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> proxy.get(host("inflight"), "/fast", tenant).summary().equals("429 -"));
            assertThat(proxy.get(host("inflight"), "/fast", Map.of("X-Tenant", "other")).summary())
                    .as("another source").isEqualTo("200 vault");
            assertThat(slow.get(5, TimeUnit.SECONDS).summary()).isEqualTo("200 vault");
            assertThat(proxy.get(host("inflight"), "/fast", tenant).summary()).as("slot freed")
                    .isEqualTo("200 vault");
        }
    }

    @Test
    void bufferingRefusesBodiesOverTheLimit() {
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.send("POST", host("upload"), "/up", Map.of(), new byte[500]).summary())
                    .isEqualTo("200 vault");
            // the head alone, declaring a body over the limit: the answer comes before any of it is sent
            assertThat(proxy.send("POST", host("upload"), "/up", Map.of("Content-Length", "5000"), new byte[0])
                    .summary()).as("over maxRequestBodyBytes").isEqualTo("413 -");
        }
    }

    @Test
    void bufferingAnswers413ToAClientThatSendsTheWholeBody() {
        // was "connection reset": the proxy closed with the unread body in its socket (fixed by LingeringClose)
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.send("POST", host("upload"), "/up", Map.of(), new byte[5000]).summary())
                    .as("over maxRequestBodyBytes, body sent at once like curl --data").isEqualTo("413 -");
        }
    }
}
