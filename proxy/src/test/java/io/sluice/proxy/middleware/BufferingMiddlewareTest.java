package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.sluice.snapshot.MiddlewareSpec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BufferingMiddlewareTest {
    private static HttpMiddleware buffering(long maxRequest, long maxResponse) {
        return new MiddlewareFactory().create(new MiddlewareSpec.Buffering(maxRequest, 1, maxResponse, 1),
                id -> null);
    }

    private static ForwardedRequest request(String... headerPairs) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.set(headerPairs[i], headerPairs[i + 1]);
        }
        return new ForwardedRequest("/", null, headers, "http", "a");
    }

    private static HttpContent part(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Test
    void refusesADeclaredLengthOverTheLimitAtOnce() {
        HttpMiddleware middleware = buffering(10, 0);
        assertThat(middleware.onRequest(request("Content-Length", "11")).status()).isEqualTo(413);
        ForwardedRequest fits = request("Content-Length", "10");
        assertThat(middleware.onRequest(fits)).isNull();
        assertThat(fits.requestBodyBuffer()).as("a declared length is streamed").isNull();
    }

    @Test
    void holdsAChunkedBodyAndHandsItOverWholeWithTrailers() {
        ForwardedRequest request = request("Transfer-Encoding", "chunked");
        assertThat(buffering(10, 0).onRequest(request)).isNull();
        RequestBodyBuffer buffer = request.requestBodyBuffer();
        assertThat(buffer.add(part("12345"), ByteBufAllocator.DEFAULT)).isNull();
        LastHttpContent end = new DefaultLastHttpContent(Unpooled.copiedBuffer("678", StandardCharsets.UTF_8));
        end.trailingHeaders().set("X-Checksum", "abc");
        LastHttpContent whole = buffer.add(end, ByteBufAllocator.DEFAULT);
        assertThat(whole.content().toString(StandardCharsets.UTF_8)).isEqualTo("12345678");
        assertThat(whole.trailingHeaders().get("X-Checksum")).isEqualTo("abc");
        whole.release();
        assertThat(end.refCnt()).as("the parts went with the whole").isZero();
        request.complete(new ExchangeOutcome(200, 1));
    }

    @Test
    void releasesEverythingWhenTheBodyGrowsPastTheLimitOrTheExchangeEnds() {
        ForwardedRequest request = request("Transfer-Encoding", "chunked");
        buffering(8, 0).onRequest(request);
        RequestBodyBuffer buffer = request.requestBodyBuffer();
        HttpContent first = part("12345");
        buffer.add(first, ByteBufAllocator.DEFAULT);
        assertThat(buffer.add(part("6789"), ByteBufAllocator.DEFAULT)).isNull();
        assertThat(buffer.overLimit()).isTrue();
        assertThat(first.content().refCnt()).isZero();
        HttpContent late = part("more");
        assertThat(buffer.add(late, ByteBufAllocator.DEFAULT)).isNull();
        assertThat(late.refCnt()).isZero();

        ForwardedRequest abandoned = request("Transfer-Encoding", "chunked");
        buffering(100, 0).onRequest(abandoned);
        HttpContent held = part("abc");
        abandoned.requestBodyBuffer().add(held, ByteBufAllocator.DEFAULT);
        abandoned.complete(new ExchangeOutcome(ExchangeOutcome.CLIENT_CLOSED, 1));
        assertThat(held.content().refCnt()).isZero();
    }

    @Test
    void withoutLimitsNothingIsHeld() {
        ForwardedRequest request = request("Transfer-Encoding", "chunked", "Content-Length", "999999");
        assertThat(buffering(0, 0).onRequest(request)).isNull();
        assertThat(request.requestBodyBuffer()).isNull();
        assertThat(request.responseBodyLimit()).isZero();
        ForwardedRequest limited = request();
        buffering(0, 5000).onRequest(limited);
        assertThat(limited.responseBodyLimit()).isEqualTo(5000);
    }
}
