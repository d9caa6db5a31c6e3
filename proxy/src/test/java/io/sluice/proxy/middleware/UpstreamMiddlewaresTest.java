package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.proxy.side.SideRequestClient;
import io.sluice.proxy.side.SideResponse;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** errors status matching, forwardAuth's request and decision, and chains that wait for asynchronous steps. */
class UpstreamMiddlewaresTest {
    private final SideRequestClient side = new SideRequestClient();

    @AfterEach
    void close() {
        side.close();
    }

    private static ForwardedRequest request(boolean trustedPeer) throws Exception {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Host", "shop.example.com");
        headers.set("Cookie", "sid=1");
        headers.set("Content-Length", "5");
        headers.set("Connection", "keep-alive");
        headers.set("X-Forwarded-Uri", "/public");
        headers.set("X-Forwarded-For", "10.0.0.9");
        headers.add("X-User", "forged");
        headers.add("X-Group-Admin", "forged");
        return new ForwardedRequest("/cart", "a=1", headers, "https", "shop.example.com",
                InetAddress.getByName("192.0.2.7"), trustedPeer, "POST");
    }

    private ForwardAuthMiddleware auth(boolean trust, List<String> requestHeaders) {
        return new ForwardAuthMiddleware(side, "http://auth.example:9000/check", trust, List.of("X-User"),
                "^X-Group-", requestHeaders, List.of("session"), false);
    }

    @Test
    void errorsMatchCodesAndRanges() {
        ErrorsMiddleware errors = new ErrorsMiddleware(List.of("500-599", "404"), cookies -> null, "/{status}", side);
        assertThat(List.of(404, 500, 503, 599)).allMatch(errors::handles);
        assertThat(List.of(200, 403, 418, 499)).noneMatch(errors::handles);
        assertThatThrownBy(() -> new ErrorsMiddleware(List.of("5xx"), cookies -> null, "/", side))
                .hasMessageContaining("\"5xx\"");
        assertThatThrownBy(() -> new ErrorsMiddleware(List.of("599-500"), cookies -> null, "/", side))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void authRequestCarriesOurForwardedHeadersNeverFraming() throws Exception {
        HttpHeaders asked = auth(false, List.of()).authRequest(request(false));
        assertThat(asked.get("X-Forwarded-Method")).isEqualTo("POST");
        assertThat(asked.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(asked.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
        assertThat(asked.get("X-Forwarded-Uri")).isEqualTo("/cart?a=1");
        assertThat(asked.getAll("X-Forwarded-For")).containsExactly("192.0.2.7");
        assertThat(asked.get("Cookie")).isEqualTo("sid=1");
        assertThat(asked.contains("Content-Length")).isFalse();
        assertThat(asked.contains("Connection")).isFalse();
        assertThat(asked.contains("Host")).isFalse();

        HttpHeaders trusted = auth(true, List.of("cookie")).authRequest(request(true));
        assertThat(trusted.get("X-Forwarded-Uri")).isEqualTo("/public");
        assertThat(trusted.get("X-Forwarded-For")).isEqualTo("10.0.0.9, 192.0.2.7");
        assertThat(trusted.names()).doesNotContain("X-User").contains("Cookie");
    }

    @Test
    void successReplacesForgedHeadersAndRemembersCookies() throws Exception {
        ForwardedRequest request = request(false);
        Reply reply = auth(false, List.of()).decided(request, new SideResponse(204,
                List.of(Map.entry("X-User", "alice"), Map.entry("X-Group-Ops", "yes"), Map.entry("X-Other", "no"),
                        Map.entry("Set-Cookie", "session=s1; Path=/"), Map.entry("Set-Cookie", "other=2")),
                new byte[0]));
        assertThat(reply).isNull();
        assertThat(request.headers().getAll("X-User")).containsExactly("alice");
        assertThat(request.headers().contains("X-Group-Admin")).isFalse();
        assertThat(request.headers().get("X-Group-Ops")).isEqualTo("yes");
        assertThat(request.headers().contains("X-Other")).isFalse();

        HttpHeaders response = new DefaultHttpHeaders();
        auth(false, List.of()).onResponse(request, response);
        assertThat(response.getAll("Set-Cookie")).containsExactly("session=s1; Path=/");
    }

    @Test
    void refusalIsPassedOnWithoutFraming() throws Exception {
        ForwardedRequest request = request(false);
        Reply reply = auth(false, List.of()).decided(request, new SideResponse(302,
                List.of(Map.entry("Location", "https://sso/login"), Map.entry("Content-Length", "3"),
                        Map.entry("Set-Cookie", "a=1"), Map.entry("Set-Cookie", "b=2")),
                "bye".getBytes(StandardCharsets.UTF_8)));
        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.headers()).containsExactly(Map.entry("Location", "https://sso/login"),
                Map.entry("Set-Cookie", "a=1"), Map.entry("Set-Cookie", "b=2"));
        assertThat(request.headers().getAll("X-User")).containsExactly("forged"); // not proxied anyway
        assertThat(reply.toHttpResponse().release()).isTrue();
    }

    @Test
    void invalidAddressOrRegexIsRefused() {
        assertThatThrownBy(() -> new ForwardAuthMiddleware(side, "auth:9000", false, List.of(), null, List.of(),
                List.of(), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ForwardAuthMiddleware(side, "http://auth", false, List.of(), "(", List.of(),
                List.of(), false)).hasMessageContaining("authResponseHeadersRegex");
    }

    /** An asynchronous step completed by the test. */
    private static final class Pending implements AsyncHttpMiddleware {
        private final List<Promise<Reply>> asked = new ArrayList<>();

        @Override
        public Future<Reply> decide(ForwardedRequest request, Channel client) {
            Promise<Reply> promise = client.eventLoop().newPromise();
            asked.add(promise);
            return promise;
        }
    }

    @Test
    void chainWaitsForAsyncStepsThenRunsTheRest() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Pending pending = new Pending();
        ChainMiddleware chain = new ChainMiddleware(List.of(new AddPrefixMiddleware("/a"),
                new ChainMiddleware(List.of(pending)), new AddPrefixMiddleware("/b")));
        assertThat(chain.waitsForIo()).isTrue();
        assertThat(new ChainMiddleware(List.of(new AddPrefixMiddleware("/a"))).waitsForIo()).isFalse();

        ForwardedRequest through = request(false);
        Future<Reply> decision = chain.decide(through, channel);
        assertThat(through.path()).isEqualTo("/a/cart");
        assertThat(decision.isDone()).isFalse();
        pending.asked.get(0).setSuccess(null);
        assertThat(decision.isSuccess()).isTrue();
        assertThat(decision.getNow()).isNull();
        assertThat(through.path()).isEqualTo("/b/a/cart");

        ForwardedRequest stopped = request(false);
        Future<Reply> refused = chain.decide(stopped, channel);
        pending.asked.get(1).setSuccess(Reply.of(new Answer(403, Map.of(), "no")));
        assertThat(refused.getNow().status()).isEqualTo(403);
        assertThat(stopped.path()).isEqualTo("/a/cart");
        channel.finishAndReleaseAll();
    }
}
