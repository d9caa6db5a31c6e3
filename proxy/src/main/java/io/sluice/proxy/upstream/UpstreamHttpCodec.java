package io.sluice.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * The HTTP/1.1 codec of a pooled upstream connection, in place of Netty's {@code HttpClientCodec}: Netty's
 * request encoder (which copies the fields of a head still in its received form, {@link WireHeaders}, as bytes), and
 * {@link UpstreamResponseDecoder} for the responses. The encoder records the method of each
 * request it writes, because whether a response has a body depends on it (a response to HEAD never has one).
 */
public final class UpstreamHttpCodec
        extends CombinedChannelDuplexHandler<UpstreamResponseDecoder, UpstreamHttpCodec.MethodRecordingEncoder> {

    /** @param maxHeaderSize bytes of header fields accepted in a response head */
    public UpstreamHttpCodec(int maxHeaderSize) {
        Queue<HttpMethod> methods = new ArrayDeque<>();
        init(new UpstreamResponseDecoder(maxHeaderSize, methods), new MethodRecordingEncoder(methods));
    }

    /** Netty's request encoder, queueing each request's method for the decoder. */
    static final class MethodRecordingEncoder extends HttpRequestEncoder {
        private final Queue<HttpMethod> methods;

        MethodRecordingEncoder(Queue<HttpMethod> methods) {
            this.methods = methods;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest) {
                methods.add(((HttpRequest) msg).method());
            }
            super.encode(ctx, msg, out);
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            if (headers instanceof WireHeaders) {
                ((WireHeaders) headers).writeTo(buf); // the client's bytes, copied, not re-encoded per character
            } else {
                super.encodeHeaders(headers, buf);
            }
        }
    }
}
