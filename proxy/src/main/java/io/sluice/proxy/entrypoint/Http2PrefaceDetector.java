package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTTP/2 with prior knowledge on a cleartext entrypoint (RFC 9113 section 3.3): a connection whose first 24 bytes
 * are the client connection preface becomes an HTTP/2 connection; any other first byte leaves it HTTP/1.1. Removes
 * itself either way, passing on what it read; waits for more bytes while they still match the preface.
 */
final class Http2PrefaceDetector extends ByteToMessageDecoder {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Http2Connections http2;

    Http2PrefaceDetector(Http2Connections http2) {
        this.http2 = http2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int available = Math.min(in.readableBytes(), PREFACE.length);
        for (int i = 0; i < available; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
                ctx.pipeline().remove(this);
                return;
            }
        }
        if (available == PREFACE.length) {
            http2.switchFromHttp1(ctx.pipeline());
            ctx.pipeline().remove(this);
        }
        // else: a matching prefix; the decoder asks for more when nothing was passed on
    }
}
