package io.sluice.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream codec writes a request head still in its received form ({@link WireHeaders}) by copying its bytes:
 * the same wire bytes as Netty's encoding, without turning the fields into Netty's headers on the way.
 */
class UpstreamRequestEncodingTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(32768));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void receivedFieldsAreCopiedWithTheirCaseAndOrderAndStayOnTheWire() {
        byte[] block = "X-CaSe: a b\r\naccept: */*\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII);
        WireHeaders headers = new WireHeaders(block, new int[] {0, 6, 8, 11, 13, 19, 21, 24, 26, 36, 38, 43}, 3);
        headers.remove("connection");
        headers.set("X-Forwarded-For", "10.0.0.1");
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/p",
                Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII), headers,
                DefaultHttpHeadersFactory.trailersFactory().newHeaders());
        request.headers().set("Content-Length", 2);

        channel.writeOutbound(request);

        assertThat(written()).isEqualTo("POST /p HTTP/1.1\r\nX-CaSe: a b\r\naccept: */*\r\nX-Forwarded-For: 10.0.0.1\r\n"
                + "Content-Length: 2\r\n\r\nhi");
        assertThat(headers.onWire()).as("copied, not iterated as Netty's headers").isTrue();
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            out.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return out.toString();
    }
}
