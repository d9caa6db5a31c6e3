package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.sluice.proxy.upstream.WireHeaders;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The HTTP/1.1 codec of a client connection: Sluice's {@link ClientRequestDecoder} (strict RFC 9112 request
 * parsing and framing straight into {@link WireHeaders}; a request with both {@code Transfer-Encoding} and
 * {@code Content-Length} is malformed, as a proxy must treat it: request smuggling) and Netty's response encoder.
 * Like {@code HttpServerCodec}, it remembers the method of each request so a response to HEAD is encoded without
 * a body; the same queue tells the decoder when a protocol switch request got a final answer other than 101. A
 * backend's response head still in its received form ({@link WireHeaders}) has its fields copied as bytes.
 */
final class StrictHttpServerCodec extends CombinedChannelDuplexHandler<ClientRequestDecoder, HttpResponseEncoder> {
    private final Queue<HttpMethod> methods = new ArrayDeque<>();

    /**
     * @param maxInitialLineLength bytes of a request line; more gets 414
     * @param maxHeaderSize        bytes of a request's header lines; more gets 431
     * @param names                the check for names the proxy sets on decoded heads ({@link OwnHeaderNames})
     */
    StrictHttpServerCodec(int maxInitialLineLength, int maxHeaderSize,
            DefaultHeaders.NameValidator<CharSequence> names) {
        init(new ClientRequestDecoder(maxInitialLineLength, maxHeaderSize, names, methods), new Encoder());
    }

    private final class Encoder extends HttpResponseEncoder {
        @Override
        protected void encodeInitialLine(ByteBuf buf, HttpResponse response) throws Exception {
            if (!StatusLines.write(buf, response)) {
                super.encodeInitialLine(buf, response);
            }
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            if (headers instanceof WireHeaders) {
                ((WireHeaders) headers).writeTo(buf); // the backend's bytes, copied, not re-encoded per character
            } else {
                super.encodeHeaders(headers, buf);
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            int code = msg.status().code();
            if (code >= 100 && code < 200 && code != 101) {
                return super.isContentAlwaysEmpty(msg); // interim: the request's final response is still to come
            }
            boolean head = HttpMethod.HEAD.equals(methods.poll());
            if (code >= 200) {
                inboundHandler().answered();
            }
            return head || super.isContentAlwaysEmpty(msg);
        }

        @Override
        public void read(ChannelHandlerContext ctx) throws Exception {
            if (!inboundHandler().holdsEnough()) {
                super.read(ctx);
            }
        }
    }
}
