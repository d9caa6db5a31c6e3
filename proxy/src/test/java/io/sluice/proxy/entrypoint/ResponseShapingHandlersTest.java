package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.proxy.middleware.ContentEncodings;
import io.sluice.proxy.middleware.ForwardedRequest;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.snapshot.MiddlewareSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client pipeline's response handlers on their own, added and driven by {@link ResponseShaping} the way the
 * proxy handler drives it, in front of a stand-in exchange handler.
 */
class ResponseShapingHandlersTest {
    private static final String TEXT = "abcdefghij".repeat(300);
    private static final String EXCHANGE = "exchange";
    private static final MiddlewareSpec GZIP = new MiddlewareSpec.Compress(List.of(), List.of(), 0, List.of("gzip"),
            "gzip");

    private final ResponseShaping shaping = new ResponseShaping(ContentEncodings.detect());

    private static EmbeddedChannel connection() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(EXCHANGE, new ChannelDuplexHandler());
        return channel;
    }

    private void select(EmbeddedChannel channel, ForwardedRequest exchange, String method) {
        shaping.select(channel.pipeline().context(EXCHANGE), exchange, method);
    }

    private static ForwardedRequest exchange(MiddlewareSpec spec, String acceptEncoding) {
        ForwardedRequest request = new ForwardedRequest("/", null, new io.netty.handler.codec.http.DefaultHttpHeaders()
                .set(HttpHeaderNames.ACCEPT_ENCODING, acceptEncoding), "http", "a");
        new MiddlewareFactory().create(spec, id -> null).onRequest(request);
        return request;
    }

    private static HttpResponse head(int status) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        return response;
    }

    private static HttpContent part(String text, boolean last) {
        ByteBuf bytes = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        return last ? new DefaultLastHttpContent(bytes) : new DefaultHttpContent(bytes);
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            out.add(msg);
        }
        return out;
    }

    private static void releaseAll(List<Object> messages) {
        messages.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aConnectionWhoseRoutesNeverShapeAResponseHasNoShapingHandlers() {
        EmbeddedChannel channel = connection();
        select(channel, exchange(new MiddlewareSpec.Buffering(0, 0, 0, 0), ""), "GET");
        select(channel, null, "GET");
        assertThat(channel.pipeline().names()).doesNotContain(ResponseShaping.COMPRESS,
                ResponseShaping.RESPONSE_LIMIT);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bothHandlersAreAddedOnceInFrontOfTheExchangeWithTheLimitBeforeCompression() {
        EmbeddedChannel channel = connection();
        select(channel, exchange(GZIP, "gzip"), "GET");
        select(channel, exchange(new MiddlewareSpec.Buffering(0, 0, 100, 0), ""), "GET");
        select(channel, exchange(GZIP, "gzip"), "GET");
        // outbound messages run from the exchange backwards: the limit sees the body as the backend sent it
        assertThat(channel.pipeline().names()).containsSubsequence(ResponseShaping.COMPRESS,
                ResponseShaping.RESPONSE_LIMIT, EXCHANGE);
        assertThat(channel.pipeline().names().stream().filter(n -> n.startsWith("response-"))).hasSize(2);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void compressorSkipsEarlyHintsAndCompressesOnlyWhenTheExchangeAsked() {
        EmbeddedChannel channel = connection();
        select(channel, exchange(GZIP, "gzip"), "GET");
        HttpResponse hints = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(103));
        channel.writeOutbound(hints, LastHttpContent.EMPTY_LAST_CONTENT);
        channel.writeOutbound(head(200), part(TEXT, true));
        List<Object> first = drain(channel);
        assertThat(((HttpResponse) first.get(0)).status().code()).isEqualTo(103);
        HttpResponse compressed = (HttpResponse) first.get(2);
        assertThat(compressed.headers().get(HttpHeaderNames.CONTENT_ENCODING)).isEqualTo("gzip");
        releaseAll(first);

        channel.writeOutbound(head(200), part(TEXT, true)); // no select: a response the proxy made itself
        List<Object> second = drain(channel);
        assertThat(((HttpResponse) second.get(0)).headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        releaseAll(second);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void compressorTreatsEachResponseAsItsExchangeSaysWhenOnlySomeAreCompressed() {
        EmbeddedChannel channel = connection();
        select(channel, exchange(GZIP, "gzip"), "GET");
        channel.writeOutbound(head(200), part(TEXT, true));
        releaseAll(drain(channel));

        channel.writeOutbound(head(200), part(TEXT, true)); // GET, the route does not compress
        List<Object> plain = drain(channel);
        assertThat(((HttpResponse) plain.get(0)).headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        assertThat(((HttpContent) plain.get(1)).content().toString(StandardCharsets.UTF_8)).isEqualTo(TEXT);
        releaseAll(plain);

        select(channel, exchange(GZIP, "gzip"), "HEAD"); // HEAD: never compressed
        channel.writeOutbound(head(200), LastHttpContent.EMPTY_LAST_CONTENT);
        List<Object> toHead = drain(channel);
        assertThat(((HttpResponse) toHead.get(0)).headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        releaseAll(toHead);

        select(channel, exchange(GZIP, "gzip"), "GET"); // GET, compressed
        channel.writeOutbound(head(200), part(TEXT, false), part(TEXT, true));
        List<Object> compressed = drain(channel);
        assertThat(((HttpResponse) compressed.get(0)).headers().get(HttpHeaderNames.CONTENT_ENCODING))
                .isEqualTo("gzip");
        assertThat(compressed.get(compressed.size() - 1)).isInstanceOf(LastHttpContent.class);
        releaseAll(compressed);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bodyLimiterHoldsUntilTheEndAndReplacesAnOversizedBody() {
        EmbeddedChannel channel = connection();
        ForwardedRequest limited = exchange(new MiddlewareSpec.Buffering(0, 0, 10, 0), "");
        select(channel, limited, "GET");
        channel.writeOutbound(head(200), part("12345", false));
        assertThat(drain(channel)).as("held").isEmpty();
        channel.writeOutbound(part("678", true));
        List<Object> whole = drain(channel);
        assertThat(whole).hasSize(3);
        releaseAll(whole);

        select(channel, limited, "GET");
        channel.writeOutbound(head(200), part("123456", false), part("789012", false), part("tail", true));
        List<Object> replaced = drain(channel);
        assertThat(replaced).singleElement().satisfies(m ->
                assertThat(((FullHttpResponse) m).status().code()).isEqualTo(500));
        releaseAll(replaced);

        channel.writeOutbound(head(200), part(TEXT, true)); // not limited: passes as it comes
        List<Object> passed = drain(channel);
        assertThat(passed).hasSize(2);
        releaseAll(passed);
    }

    @Test
    void bodyLimiterReleasesWhatItHoldsWhenTheConnectionCloses() {
        EmbeddedChannel channel = connection();
        select(channel, exchange(new MiddlewareSpec.Buffering(0, 0, 100, 0), ""), "GET");
        HttpContent held = part("12345", false);
        channel.writeOutbound(head(200), held);
        channel.close();
        assertThat(held.refCnt()).isZero();
    }
}
