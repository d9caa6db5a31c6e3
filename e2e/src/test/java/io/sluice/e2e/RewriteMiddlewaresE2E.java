package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.e2e.support.HttpReply;
import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import io.sluice.e2e.support.StatusConditions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The middlewares that rewrite or answer the request head (addPrefix, stripPrefix, stripPrefixRegex, replacePath,
 * replacePathRegex, redirectScheme, redirectRegex, chain, headers with CORS and security headers, contentType),
 * from middlewares/rewrites.yaml: one host per middleware, checked through every proxy by what the backend
 * received or what the client got back.
 */
@Order(6)
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewriteMiddlewaresE2E {
    private static final String NS = "rewrites";

    private SluiceCluster cluster;

    @BeforeAll
    void applyTheMiddlewares(SluiceCluster cluster) throws Exception {
        this.cluster = cluster;
        cluster.namespace(NS);
        cluster.backend(NS, "web");
        cluster.api().applyResource("middlewares/rewrites.yaml");
        cluster.awaitEveryProxy("headers.rewrites.e2e", "/", "200 web");
    }

    private static String host(String name) {
        return name + "." + NS + ".e2e";
    }

    @Test
    void pathMiddlewaresChangeWhatTheBackendReceives() {
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.get(host("add"), "/users?id=1").backendPath()).as("addPrefix")
                    .isEqualTo("/api/users?id=1");

            HttpReply stripped = proxy.get(host("strip"), "/old/users");
            assertThat(stripped.backendPath()).as("stripPrefix").isEqualTo("/users");
            assertThat(stripped.backendSawHeader("X-Forwarded-Prefix")).hasValue("/old");

            HttpReply strippedRegex = proxy.get(host("stripre"), "/api/v2/users",
                    Map.of("X-Forwarded-Prefix", "/forged"));
            assertThat(strippedRegex.backendPath()).as("stripPrefixRegex").isEqualTo("/users");
            assertThat(strippedRegex.backendSawHeader("X-Forwarded-Prefix")).as("replaces the client's value")
                    .hasValue("/api/v2");
            assertThat(proxy.get(host("stripre"), "/web/api/v2/users").backendPath())
                    .as("a match not at the start does not strip").isEqualTo("/web/api/v2/users");

            HttpReply replaced = proxy.get(host("replace"), "/anything/here");
            assertThat(replaced.backendPath()).as("replacePath").isEqualTo("/fixed");
            assertThat(replaced.backendSawHeader("X-Replaced-Path")).hasValue("/anything/here");

            HttpReply replacedRegex = proxy.get(host("replacere"), "/foo/baz?x=1");
            assertThat(replacedRegex.backendPath()).as("replacePathRegex keeps the query").isEqualTo("/bar/baz?x=1");
            assertThat(replacedRegex.backendSawHeader("X-Replaced-Path")).hasValue("/foo/baz");
            assertThat(proxy.get(host("replacere"), "/other").backendPath()).as("no match: unchanged")
                    .isEqualTo("/other");

            HttpReply chained = proxy.get(host("chain"), "/old/items");
            assertThat(chained.summary()).isEqualTo("200 web");
            assertThat(chained.backendPath()).as("chain: stripPrefix, then addPrefix").isEqualTo("/v2/items");
            assertThat(chained.backendSawHeader("X-Chain")).as("chain: then headers").hasValue("tagged");
        }
    }

    @Test
    void redirectsAreAnsweredByTheProxy() {
        for (ProxyProcess proxy : cluster.proxies()) {
            HttpReply scheme = proxy.get(host("scheme"), "/cart?id=7");
            assertThat(scheme.summary()).as("redirectScheme, not permanent").isIn("302 -", "307 -");
            assertThat(scheme.header("Location")).hasValue("https://scheme.rewrites.e2e:8443/cart?id=7");

            HttpReply moved = proxy.get(host("redirre"), "/old/a/b?c=1");
            assertThat(moved.summary()).as("redirectRegex, GET, not permanent").isEqualTo("302 -");
            assertThat(moved.header("Location")).hasValue("http://new.rewrites.e2e/a/b?c=1");
            HttpReply put = proxy.send("PUT", host("redirre"), "/old/a", Map.of(), "x".getBytes());
            assertThat(put.summary()).as("redirectRegex keeps other methods with 307").isEqualTo("307 -");
            assertThat(proxy.get(host("redirre"), "/new/a").summary()).as("no match: proxied").isEqualTo("200 web");
        }
    }

    @Test
    void headersMiddlewareAddsCustomCorsAndSecurityHeaders() {
        for (ProxyProcess proxy : cluster.proxies()) {
            HttpReply simple = proxy.get(host("headers"), "/page", Map.of("Origin", "https://app.example.com"));
            assertThat(simple.summary()).isEqualTo("200 web");
            assertThat(simple.backendSawHeader("X-From-Proxy")).as("custom request header").hasValue("yes");
            assertThat(simple.header("X-Served-By")).as("custom response header").hasValue("sluice");
            assertThat(simple.header("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
            assertThat(simple.header("X-Frame-Options")).as("frameDeny").hasValue("DENY");
            assertThat(simple.header("X-Content-Type-Options")).as("contentTypeNosniff").hasValue("nosniff");

            HttpReply preflight = proxy.send("OPTIONS", host("headers"), "/page", Map.of(
                    "Origin", "https://app.example.com", "Access-Control-Request-Method", "PUT"), new byte[0]);
            assertThat(preflight.summary()).as("a preflight is answered by the proxy").isEqualTo("200 -");
            assertThat(preflight.header("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
            assertThat(preflight.header("Access-Control-Allow-Methods")).hasValueSatisfying(
                    m -> assertThat(m).contains("PUT"));
            assertThat(preflight.header("Access-Control-Allow-Headers")).hasValueSatisfying(
                    h -> assertThat(h).containsIgnoringCase("Content-Type"));
            assertThat(preflight.header("Access-Control-Max-Age")).hasValue("600");

            HttpReply stranger = proxy.send("OPTIONS", host("headers"), "/page", Map.of(
                    "Origin", "https://evil.example.net", "Access-Control-Request-Method", "PUT"), new byte[0]);
            assertThat(stranger.summary()).isEqualTo("200 -");
            assertThat(stranger.header("Access-Control-Allow-Origin")).as("unknown origin").isEmpty();
        }
    }

    @Test
    void contentTypeWithoutSniffingIsANoOpAndSniffingIsRefused() {
        for (ProxyProcess proxy : cluster.proxies()) {
            HttpReply reply = proxy.get(host("ctype"), "/file");
            assertThat(reply.summary()).isEqualTo("200 web");
            assertThat(reply.header("Content-Type")).as("the backend's type, untouched")
                    .hasValue("text/plain; charset=utf-8");
            assertThat(proxy.get(host("sniff"), "/file").summary()).as("autoDetect: true fails closed")
                    .isEqualTo("503 -");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                StatusConditions.of(cluster.api().sluice("Middleware", NS, "sniffing")).summary("Accepted"))
                .startsWith("False"));
    }
}
