package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexMiddlewaresTest {
    private final MiddlewareFactory factory = new MiddlewareFactory();

    private static ForwardedRequest request(String method, String scheme, String path, String query) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Host", "shop.example.com:8080");
        return new ForwardedRequest(path, query, headers, scheme, "shop.example.com:8080", null, false, method);
    }

    private static ForwardedRequest get(String path) {
        return request("GET", "http", path, null);
    }

    private HttpMiddleware build(MiddlewareSpec spec) {
        return factory.create(spec, id -> {
            throw new IllegalArgumentException("unknown " + id);
        });
    }

    @ParameterizedTest
    @CsvSource({
        // path, expected path, expected X-Forwarded-Prefix ("-" = untouched)
        "/api/v1/users, /users, /api/v1",
        "/api/v22, /, /api/v22",
        "/apix/v1/users, /apix/v1/users, -",
        "/x/v1/users, /x/v1/users, -", // "/v[0-9]+" matches, but not at the start
        "/web/a/b, /b, /web/a/", // the second regex; a stripped trailing slash leaves a relative rest
        "/other, /other, -"
    })
    void stripPrefixRegexStripsTheFirstMatchThatStartsThePath(String path, String expected, String prefix) {
        HttpMiddleware strip = build(new MiddlewareSpec.StripPrefixRegex(List.of("/api/v[0-9]+", "/v[0-9]+", "^/web/[a-z]+/")));
        ForwardedRequest r = get(path);
        r.headers().set("X-Forwarded-Prefix", "/from-client");
        assertThat(strip.onRequest(r)).isNull();
        assertThat(r.path()).isEqualTo(expected);
        assertThat(r.headers().get("X-Forwarded-Prefix")).isEqualTo("-".equals(prefix) ? "/from-client" : prefix);
    }

    @Test
    void stripPrefixRegexNormalizesTheRestAndRefusesAnEncodedSlash() {
        HttpMiddleware strip = build(new MiddlewareSpec.StripPrefixRegex(List.of("/[a-z]+")));
        ForwardedRequest dots = get("/app/x/../y");
        assertThat(strip.onRequest(dots)).isNull();
        assertThat(dots.path()).isEqualTo("/y");

        ForwardedRequest slash = get("/app%2F..%2Fadmin");
        Answer refused = strip.onRequest(slash);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(slash.path()).isEqualTo("/app%2F..%2Fadmin");
        assertThat(slash.headers().contains("X-Forwarded-Prefix")).isFalse();
    }

    @Test
    void replacePathRegexExpandsGroupsAndKeepsTheOriginal() {
        HttpMiddleware replace = build(new MiddlewareSpec.ReplacePathRegex("^/foo/(.*)", "/bar/$1"));
        ForwardedRequest r = request("GET", "http", "/foo/a/b", "q=1");
        assertThat(replace.onRequest(r)).isNull();
        assertThat(r.uri()).isEqualTo("/bar/a/b?q=1");
        assertThat(r.headers().get("X-Replaced-Path")).isEqualTo("/foo/a/b");

        ForwardedRequest other = get("/else");
        assertThat(replace.onRequest(other)).isNull();
        assertThat(other.path()).isEqualTo("/else");
        assertThat(other.headers().contains("X-Replaced-Path")).isFalse();

        ForwardedRequest named = get("/users/42/edit");
        build(new MiddlewareSpec.ReplacePathRegex("^/users/(?P<id>[0-9]+)/(\\w+)", "/${2}/${id}$$")).onRequest(named);
        assertThat(named.path()).isEqualTo("/edit/42$");
    }

    @Test
    void replacePathRegexNeverPutsSeparatorsOrControlCharactersIntoTheRequestLine() {
        for (String replacement : List.of("/a b", "/a\r\nX-Evil: 1", "/a?admin=1", "/a#frag", "/a%2f", "/a%zz",
                "/caf\u00e9")) {
            ForwardedRequest r = get("/x");
            Answer answer = build(new MiddlewareSpec.ReplacePathRegex("^/x$", replacement)).onRequest(r);
            assertThat(answer).as(replacement).isNotNull();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(r.path()).isEqualTo("/x");
        }
        ForwardedRequest up = get("/x/secret");
        build(new MiddlewareSpec.ReplacePathRegex("^/x/(.*)", "/public/../../$1")).onRequest(up);
        assertThat(up.path()).isEqualTo("/secret");
        ForwardedRequest decoded = get("/x");
        build(new MiddlewareSpec.ReplacePathRegex("^/x", "/%7euser/%2e%2e/b")).onRequest(decoded);
        assertThat(decoded.path()).isEqualTo("/b");
    }

    @ParameterizedTest
    @CsvSource({
        "GET, true, 301", "GET, false, 302", "POST, true, 308", "POST, false, 307", "PUT, false, 307"
    })
    void redirectRegexCodesFollowTraefikV3(String method, boolean permanent, int status) {
        HttpMiddleware redirect = build(new MiddlewareSpec.RedirectRegex(
                "^http://shop\\.example\\.com(:[0-9]+)?/old/(.*)", "https://shop.example.com/new/$2", permanent));
        Answer answer = redirect.onRequest(request(method, "http", "/old/cart", "id=3"));
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.headers()).containsEntry("Location", "https://shop.example.com/new/cart?id=3");
    }

    @Test
    void redirectRegexPassesNonMatchingRequestsAndSeesTheScheme() {
        HttpMiddleware redirect = build(new MiddlewareSpec.RedirectRegex("^http://(.*)", "https://$1", true));
        assertThat(redirect.onRequest(request("GET", "https", "/a", null))).isNull();
        assertThat(redirect.onRequest(get("/a")).headers())
                .containsEntry("Location", "https://shop.example.com:8080/a");
    }

    @Test
    void redirectRegexRefusesALocationWithControlCharacters() {
        HttpMiddleware redirect = build(new MiddlewareSpec.RedirectRegex("^http://([^/]*)/(.*)", "https://$1/$2",
                false));
        HttpHeaders headers = new DefaultHttpHeaders();
        ForwardedRequest r = new ForwardedRequest("/a", null, headers, "http", "evil.example\u0001", null, false,
                "GET");
        assertThat(redirect.onRequest(r).status()).isEqualTo(400);
        HttpMiddleware crlf = build(new MiddlewareSpec.RedirectRegex("^http://(.*)", "https://x/\r\nSet-Cookie: a=b",
                false));
        Answer answer = crlf.onRequest(get("/"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers()).doesNotContainKey("Location");
    }

    @Test
    void invalidRegexesAndTemplatesAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> build(new MiddlewareSpec.StripPrefixRegex(List.of("/(a"))))
                .hasMessageContaining("regex \"/(a\" is not valid");
        assertThatThrownBy(() -> build(new MiddlewareSpec.StripPrefixRegex(List.of())))
                .hasMessageContaining("no regex");
        assertThatThrownBy(() -> build(new MiddlewareSpec.ReplacePathRegex("/(a)", "/$2")))
                .hasMessageContaining("uses group 2 but the regex has 1");
        assertThatThrownBy(() -> build(new MiddlewareSpec.RedirectRegex("(?=x)", "/", true)))
                .hasMessageContaining("is not valid");
        assertThatThrownBy(() -> build(new MiddlewareSpec.RedirectRegex("/(a)", "/${name}", true)))
                .hasMessageContaining("does not name");
    }

    @Test
    void contentTypeKeepsTheBackendsTypeAndRefusesSniffing() {
        HttpMiddleware keep = build(new MiddlewareSpec.ContentType(false));
        ForwardedRequest r = get("/file");
        assertThat(keep.onRequest(r)).isNull();
        HttpHeaders response = new DefaultHttpHeaders();
        keep.onResponse(r, response);
        assertThat(response.isEmpty()).isTrue();
        assertThatThrownBy(() -> build(new MiddlewareSpec.ContentType(true)))
                .hasMessageContaining("never sniffs");
    }
}
