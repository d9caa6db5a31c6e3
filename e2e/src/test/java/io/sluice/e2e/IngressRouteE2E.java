package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.e2e.support.HttpReply;
import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An IngressRoute with several rules, default and explicit priorities, and middlewares (stripPrefix, headers,
 * basicAuth, redirectScheme), from ingressroutes/shop.yaml; then a Middleware edited in place, which the
 * backends must see on the next requests through every proxy.
 */
@Order(4)
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngressRouteE2E {
    private static final String HOST = "shop.routes.e2e";
    private static final String ADMIN_CREDENTIALS = "Basic YWRtaW46ZTJlLXBhc3N3b3Jk"; // admin:e2e-password

    private SluiceCluster cluster;

    @BeforeAll
    void applyTheShop(SluiceCluster cluster) throws Exception {
        this.cluster = cluster;
        cluster.namespace("routes");
        for (String service : new String[] {"catalog", "admin", "special", "canary"}) {
            cluster.backend("routes", service);
        }
        cluster.api().applyResource("ingressroutes/shop.yaml", Map.of("apiVersion", "v1"));
        cluster.awaitEveryProxy(HOST, "/shop/items", "200 catalog");
        cluster.awaitEveryProxy(HOST, "/shop/admin", Duration.ofSeconds(30), r -> r.status() == 401);
    }

    @Test
    @Order(1)
    void rulesPrioritiesAndMiddlewaresDecideEachRequest() {
        for (ProxyProcess proxy : cluster.proxies()) {
            HttpReply catalog = proxy.get(HOST, "/shop/items?page=2");
            assertThat(catalog.summary()).isEqualTo("200 catalog");
            assertThat(catalog.backendPath()).as("stripPrefix").isEqualTo("/items?page=2");
            assertThat(catalog.backendSawHeader("X-Forwarded-Prefix")).hasValue("/shop");
            assertThat(catalog.backendSawHeader("X-Api-Version")).as("headers middleware").hasValue("v1");

            HttpReply anonymous = proxy.get(HOST, "/shop/admin/users");
            assertThat(anonymous.status()).as("basicAuth on the longer, higher-priority rule").isEqualTo(401);
            assertThat(anonymous.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("shop-admin"));
            HttpReply admin = proxy.get(HOST, "/shop/admin/users", Map.of("Authorization", ADMIN_CREDENTIALS));
            assertThat(admin.summary()).isEqualTo("200 admin");
            assertThat(admin.backendPath()).as("no stripPrefix on this rule").isEqualTo("/shop/admin/users");
            assertThat(proxy.get(HOST, "/shop/admin", Map.of("Authorization", "Basic YWRtaW46d3Jvbmc=")).status())
                    .as("wrong password").isEqualTo(401);

            assertThat(proxy.get(HOST, "/shop/special").summary()).as("explicit priority 1 loses to the catalog rule")
                    .isEqualTo("200 catalog");
            assertThat(proxy.get(HOST, "/shop/admin", Map.of("X-Canary", "on")).summary())
                    .as("explicit priority 1000 wins over every path rule").isEqualTo("200 canary");
            assertThat(proxy.get(HOST, "/elsewhere").summary()).as("no rule for this path").isEqualTo("404 -");

            HttpReply old = proxy.get("old-shop.routes.e2e", "/cart?id=7");
            assertThat(old.status()).as("permanent redirectScheme").isIn(301, 308);
            assertThat(old.header("Location")).hasValue("https://old-shop.routes.e2e/cart?id=7");
        }
    }

    @Test
    @Order(2)
    void aMiddlewareEditedInPlaceReachesTheBackends() {
        cluster.api().applyResource("ingressroutes/shop.yaml", Map.of("apiVersion", "v2"));

        cluster.awaitEveryProxy(HOST, "/shop/items", Duration.ofSeconds(30),
                r -> r.backendSawHeader("X-Api-Version").equals(java.util.Optional.of("v2")));
        for (ProxyProcess proxy : cluster.proxies()) {
            HttpReply catalog = proxy.get(HOST, "/shop/items");
            assertThat(catalog.backendSawHeader("X-Api-Version")).hasValue("v2");
            assertThat(catalog.backendPath()).as("the route's other middleware is unchanged").isEqualTo("/items");
        }
    }
}
