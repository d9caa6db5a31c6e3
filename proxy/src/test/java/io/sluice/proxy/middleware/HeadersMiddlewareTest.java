package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersMiddlewareTest {
    private static final MiddlewareSpec.Cors CORS = new MiddlewareSpec.Cors(List.of("https://app.example.com"),
            List.of("https://[a-z]+\\.example\\.org"), List.of("GET", "POST"), List.of("Content-Type", "X-Token"),
            List.of("X-Request-Id"), true, 600, false);

    private static MiddlewareSpec.SecurityHeaders security(long sts, boolean force, boolean development,
            List<String> allowedHosts) {
        return new MiddlewareSpec.SecurityHeaders(sts, true, true, force, true, null, true, true, null,
                "default-src 'self'", null, "no-referrer", "camera=()", development, allowedHosts,
                List.of("X-Forwarded-Host"), Map.of("X-Forwarded-Proto", "https"));
    }

    private static ForwardedRequest request(String method, String scheme, boolean trusted, String... headers) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return new ForwardedRequest("/api", null, h, scheme, "shop.example.com", null, trusted, method);
    }

    private static HttpHeaders respond(HttpMiddleware m, ForwardedRequest r) {
        assertThat(m.onRequest(r)).isNull();
        HttpHeaders response = new DefaultHttpHeaders();
        m.onResponse(r, response);
        return response;
    }

    @Test
    void preflightIsAnsweredByTheProxy() {
        HttpMiddleware m = new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of("X-To-Backend", "1"), Map.of(),
                CORS, null));
        ForwardedRequest r = request("OPTIONS", "http", false, "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "POST");
        Answer answer = m.onRequest(r);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("Access-Control-Allow-Origin", "https://app.example.com")
                .containsEntry("Access-Control-Allow-Methods", "GET,POST")
                .containsEntry("Access-Control-Allow-Headers", "Content-Type,X-Token")
                .containsEntry("Access-Control-Allow-Credentials", "true")
                .containsEntry("Access-Control-Max-Age", "600")
                .containsEntry("Vary", "Origin");
        assertThat(r.headers().contains("X-To-Backend")).isFalse();

        Answer stranger = m.onRequest(request("OPTIONS", "http", false, "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"));
        assertThat(stranger.status()).isEqualTo(200);
        assertThat(stranger.headers()).doesNotContainKey("Access-Control-Allow-Origin");
    }

    @Test
    void optionsWithoutRequestMethodIsNotAPreflightAndGoesToTheBackend() {
        HttpMiddleware m = new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), CORS, null));
        assertThat(m.onRequest(request("OPTIONS", "http", false, "Origin", "https://app.example.com"))).isNull();
        assertThat(m.onRequest(request("GET", "http", false, "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "POST"))).isNull();
    }

    @Test
    void simpleResponsesGetCorsHeadersForAllowedOriginsOnly() {
        HttpMiddleware m = new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), CORS, null));
        HttpHeaders listed = respond(m, request("GET", "http", false, "Origin", "https://app.example.com"));
        assertThat(listed.get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(listed.get("Access-Control-Expose-Headers")).isEqualTo("X-Request-Id");
        assertThat(listed.getAll("Vary")).containsExactly("Origin");

        HttpHeaders regex = respond(m, request("GET", "http", false, "Origin", "https://shop.example.org"));
        assertThat(regex.get("Access-Control-Allow-Origin")).isEqualTo("https://shop.example.org");
        // the regex must match the whole origin, not a part of it
        HttpHeaders suffix = respond(m, request("GET", "http", false, "Origin",
                "https://shop.example.org.evil.com"));
        assertThat(suffix.contains("Access-Control-Allow-Origin")).isFalse();
        HttpHeaders none = respond(m, request("GET", "http", false));
        assertThat(none.contains("Access-Control-Allow-Origin")).isFalse();
        assertThat(none.contains("Vary")).isFalse();
    }

    @Test
    void wildcardOriginAndVaryHeader() {
        MiddlewareSpec.Cors any = new MiddlewareSpec.Cors(List.of("*"), List.of(), List.of(), List.of(), List.of(),
                false, 0, true);
        HttpMiddleware m = new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), any, null));
        ForwardedRequest r = request("GET", "http", false, "Origin", "https://a.test");
        assertThat(m.onRequest(r)).isNull();
        HttpHeaders response = new DefaultHttpHeaders().add("Vary", "Accept-Encoding");
        m.onResponse(r, response);
        assertThat(response.get("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(response.getAll("Vary")).containsExactly("Accept-Encoding", "Origin");

        MiddlewareSpec.Cors unsafe = new MiddlewareSpec.Cors(List.of("*"), List.of(), List.of(), List.of(),
                List.of(), true, 0, false);
        assertThatThrownBy(() -> new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), unsafe, null)))
                .hasMessageContaining("accessControlAllowCredentials cannot be used with \"*\"");
    }

    @Test
    void securityHeadersOnHttpsAndOnlyForcedStsOnHttp() {
        HttpMiddleware m = new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), null,
                security(31536000, false, false, List.of())));
        HttpHeaders https = respond(m, request("GET", "https", false));
        assertThat(https.get("Strict-Transport-Security")).isEqualTo("max-age=31536000; includeSubDomains; preload");
        assertThat(https.get("X-Frame-Options")).isEqualTo("DENY");
        assertThat(https.get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(https.get("X-XSS-Protection")).isEqualTo("1; mode=block");
        assertThat(https.get("Content-Security-Policy")).isEqualTo("default-src 'self'");
        assertThat(https.get("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(https.get("Permissions-Policy")).isEqualTo("camera=()");
        assertThat(https.contains("Content-Security-Policy-Report-Only")).isFalse();

        assertThat(respond(m, request("GET", "http", false)).contains("Strict-Transport-Security")).isFalse();
        // a client cannot claim HTTPS; a trusted proxy can
        assertThat(respond(m, request("GET", "http", false, "X-Forwarded-Proto", "https"))
                .contains("Strict-Transport-Security")).isFalse();
        assertThat(respond(m, request("GET", "http", true, "X-Forwarded-Proto", "https"))
                .contains("Strict-Transport-Security")).isTrue();

        HttpMiddleware forced = new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), null,
                security(60, true, false, List.of())));
        assertThat(respond(forced, request("GET", "http", false)).get("Strict-Transport-Security"))
                .startsWith("max-age=60");
        HttpMiddleware development = new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), null,
                security(60, true, true, List.of())));
        assertThat(respond(development, request("GET", "https", false)).contains("Strict-Transport-Security"))
                .isFalse();
    }

    @Test
    void customFrameAndXssValuesWin() {
        MiddlewareSpec.SecurityHeaders custom = new MiddlewareSpec.SecurityHeaders(0, false, false, false, true,
                "SAMEORIGIN", false, true, "0", null, "script-src 'none'", null, null, false, List.of(), List.of(),
                Map.of());
        HttpHeaders response = respond(new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), null,
                custom)), request("GET", "http", false));
        assertThat(response.get("X-Frame-Options")).isEqualTo("SAMEORIGIN");
        assertThat(response.get("X-XSS-Protection")).isEqualTo("0");
        assertThat(response.get("Content-Security-Policy-Report-Only")).isEqualTo("script-src 'none'");
        assertThat(response.contains("Strict-Transport-Security")).isFalse();
    }

    @Test
    void allowedHostsRefusesOtherHostsAndBelievesProxyHeadersOnlyFromTrustedProxies() {
        HttpMiddleware m = new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), null,
                security(0, false, false, List.of("shop.example.com", "api.example.com"))));
        assertThat(m.onRequest(request("GET", "http", false))).isNull();
        ForwardedRequest withPort = new ForwardedRequest("/", null, new DefaultHttpHeaders(), "http",
                "SHOP.example.com:8080", null, false, "GET");
        assertThat(m.onRequest(withPort)).isNull();
        ForwardedRequest other = new ForwardedRequest("/", null, new DefaultHttpHeaders(), "http", "evil.test",
                null, false, "GET");
        assertThat(m.onRequest(other).status()).isEqualTo(400);

        ForwardedRequest viaClient = new ForwardedRequest("/", null,
                new DefaultHttpHeaders().set("X-Forwarded-Host", "evil.test"), "http", "shop.example.com", null,
                false, "GET");
        assertThat(m.onRequest(viaClient)).isNull();
        ForwardedRequest viaProxy = new ForwardedRequest("/", null,
                new DefaultHttpHeaders().set("X-Forwarded-Host", "evil.test"), "http", "shop.example.com", null,
                true, "GET");
        assertThat(m.onRequest(viaProxy).status()).isEqualTo(400);

        HttpMiddleware development = new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), null,
                security(0, false, true, List.of("shop.example.com"))));
        assertThat(development.onRequest(other)).isNull();
    }

    @Test
    void preflightAnswerCarriesSecurityHeadersAndRespectsTheHostCheck() {
        HttpMiddleware m = new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), CORS,
                security(0, false, false, List.of("shop.example.com"))));
        Answer answer = m.onRequest(request("OPTIONS", "http", false, "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "GET"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("X-Frame-Options", "DENY");
    }

    @Test
    void headerValuesThatWouldSplitALineAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> new HeadersMiddleware(Map.of(), Map.of("X-Note", "a\r\nSet-Cookie: x=1")))
                .hasMessageContaining("customResponseHeaders.X-Note must not contain control characters");
        MiddlewareSpec.SecurityHeaders csp = new MiddlewareSpec.SecurityHeaders(0, false, false, false, false, null,
                false, false, null, "default-src 'self'\n", null, null, null, false, List.of(), List.of(), Map.of());
        assertThatThrownBy(() -> new HeadersMiddleware(new MiddlewareSpec.Headers(Map.of(), Map.of(), null, csp)))
                .hasMessageContaining("contentSecurityPolicy");
    }
}
