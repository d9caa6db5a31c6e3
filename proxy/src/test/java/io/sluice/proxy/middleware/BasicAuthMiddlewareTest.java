package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BasicAuthMiddlewareTest {
    // hashes of "secret" made by other tools: glibc crypt (bcrypt), openssl passwd -apr1, Python hashlib (SHA-1)
    private static final String BCRYPT_2B = "$2b$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW";
    private static final String APR1 = "$apr1$saltsalt$LrttParrLPdxvgutaSXWJ0";
    private static final String SHA = "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=";

    static Stream<Arguments> credentials() {
        return Stream.of(
                Arguments.of("bcrypt $2b$", BCRYPT_2B, "secret", true),
                Arguments.of("bcrypt $2y$", BCRYPT_2B.replace("$2b$", "$2y$"), "secret", true),
                Arguments.of("bcrypt $2a$", BCRYPT_2B.replace("$2b$", "$2a$"), "secret", true),
                Arguments.of("bcrypt wrong", BCRYPT_2B, "Secret", false),
                Arguments.of("apr1", APR1, "secret", true),
                Arguments.of("apr1 wrong", APR1, "secre", false),
                Arguments.of("sha", SHA, "secret", true),
                Arguments.of("sha wrong", SHA, "", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void checksEachHashFormat(String name, String hash, String password, boolean admitted) {
        BasicAuthMiddleware auth = new BasicAuthMiddleware(List.of("alice:" + hash), null, false, null);
        Answer answer = auth.onRequest(request(basic("alice", password)));
        if (admitted) {
            assertThat(answer).isNull();
        } else {
            assertThat(answer.status()).isEqualTo(401);
        }
    }

    static Stream<Arguments> refusedHeaders() {
        return Stream.of(
                Arguments.of("missing", null),
                Arguments.of("other scheme", "Bearer abc"),
                Arguments.of("not base64", "Basic !!!"),
                Arguments.of("no colon", "Basic " + Base64.getEncoder().encodeToString("alice".getBytes())),
                Arguments.of("unknown user", basic("bob", "secret")),
                Arguments.of("empty", "Basic "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedHeaders")
    void challengesWithTheRealm(String name, String authorization) {
        BasicAuthMiddleware auth = new BasicAuthMiddleware(List.of("alice:" + SHA), "staff \"only\"", false, null);
        Answer answer = auth.onRequest(request(authorization));
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"staff \\\"only\\\"\"");
    }

    @Test
    void defaultRealmIsSluiceAndSchemeIsCaseInsensitive() {
        BasicAuthMiddleware auth = new BasicAuthMiddleware(List.of("alice:" + SHA), "", false, null);
        assertThat(auth.onRequest(request(null)).headers())
                .containsEntry("WWW-Authenticate", "Basic realm=\"sluice\"");
        assertThat(auth.onRequest(request(basic("alice", "secret").replace("Basic", "bAsIc")))).isNull();
    }

    @Test
    void removesAuthorizationAndSendsTheUserInAHeaderTheClientCannotForge() {
        BasicAuthMiddleware auth = new BasicAuthMiddleware(List.of("# team", "", "alice:" + SHA, "bob:" + APR1),
                null, true, "X-Auth-User");
        ForwardedRequest r = request(basic("bob", "secret"));
        r.headers().add("X-Auth-User", "alice");
        assertThat(auth.onRequest(r)).isNull();
        assertThat(r.headers().contains("Authorization")).isFalse();
        assertThat(r.headers().getAll("X-Auth-User")).containsExactly("bob");

        ForwardedRequest kept = request(basic("alice", "secret"));
        new BasicAuthMiddleware(List.of("alice:" + SHA), null, false, null).onRequest(kept);
        assertThat(kept.headers().contains("Authorization")).isTrue();
    }

    @Test
    void remembersSuccessfulBcryptChecksButStillRefusesWrongPasswords() {
        BasicAuthMiddleware auth = new BasicAuthMiddleware(List.of("alice:" + BCRYPT_2B), null, false, null);
        assertThat(auth.cachedVerifications()).isZero();
        assertThat(auth.onRequest(request(basic("alice", "secret")))).isNull();
        assertThat(auth.cachedVerifications()).isEqualTo(1);
        assertThat(auth.onRequest(request(basic("alice", "secret")))).isNull();
        assertThat(auth.onRequest(request(basic("alice", "wrong"))).status()).isEqualTo(401);
        assertThat(auth.onRequest(request(basic("alice", "secret")))).isNull();
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of(List.of(), "at least one"),
                Arguments.of(List.of("# only a comment"), "at least one"),
                Arguments.of(List.of("no-colon-here"), "users[0] is not of the form <user>:<encrypted password>"),
                Arguments.of(List.of("alice:plaintext-password"), "(user \"alice\"): unsupported"),
                Arguments.of(List.of("alice:$1$abcdefgh$0123456789012345678901"), "unsupported"),
                Arguments.of(List.of("alice:$2y$04$short"), "unsupported"),
                Arguments.of(List.of("alice:" + SHA, "alice:" + APR1), "appears twice"));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void refusesBadSpecsWithoutShowingHashes(List<String> lines, String message) {
        assertThatThrownBy(() -> new BasicAuthMiddleware(lines, null, false, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("plaintext-password")
                .hasMessageNotContaining("$2y$04$short")
                .hasMessageNotContaining("0123456789")
                .hasMessageNotContaining("5en6G6");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static ForwardedRequest request(String authorization) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (authorization != null) {
            headers.set("Authorization", authorization);
        }
        return new ForwardedRequest("/", null, headers, "http", "app.example.com");
    }
}
