package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiddlewareTest {
    private final MiddlewareFactory factory = new MiddlewareFactory();

    private static ForwardedRequest request(String path, String query) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Host", "shop.example.com:8080");
        headers.set("X-Drop", "1");
        return new ForwardedRequest(path, query, headers, "http", "shop.example.com:8080");
    }

    private HttpMiddleware build(MiddlewareSpec spec) {
        return factory.create(spec, id -> {
            throw new IllegalArgumentException("unknown " + id);
        });
    }

    @Test
    void pathRewrites() {
        ForwardedRequest r = request("/api/users", "a=1");
        assertThat(build(new MiddlewareSpec.StripPrefix(List.of("/v1", "/api"))).onRequest(r)).isNull();
        assertThat(r.uri()).isEqualTo("/users?a=1");
        assertThat(r.headers().get("X-Forwarded-Prefix")).isEqualTo("/api");

        ForwardedRequest whole = request("/api", null);
        build(new MiddlewareSpec.StripPrefix(List.of("/api"))).onRequest(whole);
        assertThat(whole.path()).isEqualTo("/");

        ForwardedRequest added = request("/users", null);
        build(new MiddlewareSpec.AddPrefix("/v2")).onRequest(added);
        assertThat(added.path()).isEqualTo("/v2/users");

        ForwardedRequest replaced = request("/old/thing", "q=1");
        build(new MiddlewareSpec.ReplacePath("/new")).onRequest(replaced);
        assertThat(replaced.uri()).isEqualTo("/new?q=1");
        assertThat(replaced.headers().get("X-Replaced-Path")).isEqualTo("/old/thing");
    }

    @Test
    void redirectSchemeAnswersWithLocationOnTheOtherScheme() {
        Answer permanent = build(new MiddlewareSpec.RedirectScheme("https", null, true)).onRequest(
                request("/cart", "id=3"));
        assertThat(permanent.status()).isEqualTo(308);
        assertThat(permanent.headers()).containsEntry("Location", "https://shop.example.com/cart?id=3");
        Answer temporary = build(new MiddlewareSpec.RedirectScheme("https", "8443", false)).onRequest(
                request("/", null));
        assertThat(temporary.status()).isEqualTo(307);
        assertThat(temporary.headers()).containsEntry("Location", "https://shop.example.com:8443/");
        assertThat(build(new MiddlewareSpec.RedirectScheme("http", null, true)).onRequest(request("/", null)))
                .isNull();
    }

    @Test
    void headersSetAndEmptyValueRemoves() {
        HttpMiddleware headers = build(new MiddlewareSpec.Headers(Map.of("X-Env", "prod", "X-Drop", ""),
                Map.of("X-Frame-Options", "DENY", "Server", "")));
        ForwardedRequest r = request("/", null);
        headers.onRequest(r);
        assertThat(r.headers().get("X-Env")).isEqualTo("prod");
        assertThat(r.headers().contains("X-Drop")).isFalse();
        HttpHeaders response = new DefaultHttpHeaders().set("Server", "backend/1.0");
        headers.onResponse(r, response);
        assertThat(response.get("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.contains("Server")).isFalse();
    }

    @Test
    void chainRunsInOrderAndStopsAtTheFirstAnswer() {
        HttpMiddleware chain = factory.create(new MiddlewareSpec.Chain(List.of("strip", "add")), id ->
                id.equals("strip") ? new StripPrefixMiddleware(List.of("/api"))
                        : new AddPrefixMiddleware("/internal"));
        ForwardedRequest r = request("/api/x", null);
        assertThat(chain.onRequest(r)).isNull();
        assertThat(r.path()).isEqualTo("/internal/x");

        ChainMiddleware stops = new ChainMiddleware(List.of(new RedirectSchemeMiddleware("https", null, true),
                new AddPrefixMiddleware("/never")));
        ForwardedRequest redirected = request("/a", null);
        assertThat(stops.onRequest(redirected).status()).isEqualTo(308);
        assertThat(redirected.path()).isEqualTo("/a");
    }

    @Test
    void factoryBuildsSecurityMiddlewaresAndRefusesBadSpecsWithoutShowingHashes() {
        assertThat(build(new MiddlewareSpec.BasicAuth(List.of("u:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ="), "r", false,
                null))).isInstanceOf(BasicAuthMiddleware.class);
        assertThat(build(new MiddlewareSpec.IpAllowList(List.of("10.0.0.0/8"), null)))
                .isInstanceOf(IpAllowListMiddleware.class);
        assertThat(build(new MiddlewareSpec.RateLimit(1, 1000, 1, null))).isInstanceOf(RateLimitMiddleware.class);

        assertThatThrownBy(() -> build(new MiddlewareSpec.BasicAuth(List.of("u:$apr1$x"), "r", false, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user \"u\"").hasMessageNotContaining("apr1$x");
        assertThatThrownBy(() -> build(new MiddlewareSpec.IpAllowList(List.of("10.0.0.0/33"), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> build(new MiddlewareSpec.RateLimit(-1, 1000, 1, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }
}
