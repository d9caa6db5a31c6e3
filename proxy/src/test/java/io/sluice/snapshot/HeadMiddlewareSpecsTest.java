package io.sluice.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The head-only middleware specs on the wire, and the regex templates they share with the operator. */
class HeadMiddlewareSpecsTest {
    private final SnapshotCodec codec = new SnapshotCodec();

    private static RoutingSnapshot with(List<Middleware> middlewares) {
        return new RoutingSnapshot(new SnapshotVersion(1, 1), List.of(), List.of(), middlewares, List.of());
    }

    @Test
    void newSpecsRoundTrip() throws Exception {
        RoutingSnapshot snapshot = with(List.of(
                new Middleware("a", new MiddlewareSpec.StripPrefixRegex(List.of("/api/v[0-9]+")) ),
                new Middleware("b", new MiddlewareSpec.ReplacePathRegex("^/foo/(.*)", "/bar/$1")),
                new Middleware("c", new MiddlewareSpec.RedirectRegex("^http://(.*)", "https://$1", true)),
                new Middleware("d", new MiddlewareSpec.ContentType(false)),
                new Middleware("e", new MiddlewareSpec.Headers(Map.of("X-A", "1"), Map.of(),
                        new MiddlewareSpec.Cors(List.of("https://a.test"), List.of(), List.of("GET"), List.of(),
                                List.of(), true, 60, true),
                        new MiddlewareSpec.SecurityHeaders(31536000, true, false, false, true, null, true, false,
                                null, "default-src 'self'", null, "no-referrer", null, false,
                                List.of("a.test"), List.of("X-Forwarded-Host"),
                                Map.of("X-Forwarded-Proto", "https"))))));
        assertThat(codec.decode(codec.encode(snapshot))).isEqualTo(snapshot);
        assertThat(codec.encodeToString(snapshot)).contains("\"type\":\"stripPrefixRegex\"")
                .contains("\"type\":\"contentType\"").contains("\"accessControlAllowOriginList\":[\"https://a.test\"]");
    }

    @Test
    void customHeadersOnlyEncodeAsBeforeAndOldJsonStillDecodes() throws Exception {
        RoutingSnapshot old = with(List.of(new Middleware("h", new MiddlewareSpec.Headers(Map.of("X-A", "1"),
                null))));
        String json = codec.encodeToString(old);
        assertThat(json).doesNotContain("cors").doesNotContain("security");
        String previousForm = "{\"version\":{\"epoch\":1,\"sequence\":1},\"routers\":[],\"services\":[],"
                + "\"middlewares\":[{\"id\":\"h\",\"spec\":{\"type\":\"headers\",\"customRequestHeaders\":"
                + "{\"X-A\":\"1\"},\"customResponseHeaders\":{}}}],\"certificates\":[]}";
        assertThat(codec.decode(previousForm.getBytes(StandardCharsets.UTF_8))).isEqualTo(old);
    }

    @Test
    void templatesExpandNumberedNamedAndLiteralDollar() {
        assertThat(RegexTemplate.compile("^/u/([0-9]+)", "/users/$1").replaceAll("/u/42/x")).isEqualTo("/users/42/x");
        assertThat(RegexTemplate.compile("(?P<n>[a-z]+)", "<${n}>").replaceAll("ab-cd")).isEqualTo("<ab>-<cd>");
        assertThat(RegexTemplate.compile("a(b)?", "[${1}]$$").replaceAll("aab")).isEqualTo("[]$[b]$");
        assertThat(RegexTemplate.compile("x", "$0$0").replaceAll("axb")).isEqualTo("axxb");
        assertThat(RegexTemplate.compile("(a)", "$1x").replaceAll("a")).isEqualTo("ax");
    }

    @Test
    void badTemplatesAndRegexesAreNamed() {
        assertThatThrownBy(() -> RegexTemplate.compile("(a", "/")).hasMessageContaining("regex \"(a\" is not valid");
        assertThatThrownBy(() -> RegexTemplate.compile("(a)", "$2")).hasMessageContaining("uses group 2");
        assertThatThrownBy(() -> RegexTemplate.compile("(a)", "${x}")).hasMessageContaining("does not name");
        assertThatThrownBy(() -> RegexTemplate.compile("(a)", "${1")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> RegexTemplate.compile("(a)", "$x")).hasMessageContaining("must be followed");
        assertThatThrownBy(() -> RegexTemplate.compile("(a)", "$99999999999")).hasMessageContaining("uses group");
    }

    @Test
    void matchingIsLinearOnInputsThatMakeBacktrackersExplode() {
        String evil = "a".repeat(5000) + "!";
        long start = System.nanoTime();
        assertThat(RegexTemplate.compile("^(a+)+$", "x").find(evil)).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }
}
