package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.sluice.proxy.upstream.WireHeaders;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * Netty's server codec with one stricter rule: a request with both {@code Transfer-Encoding} and
 * {@code Content-Length} is malformed (RFC 9112 section 6.1 allows rejecting it, and a proxy must, since the
 * backend might frame it the other way: request smuggling). Netty would drop the Content-Length instead.
 * Like {@code HttpServerCodec}, it remembers HEAD requests so their responses are encoded without a body. A
 * backend's response head still in its received form ({@link WireHeaders}) has its fields copied as bytes.
 */
final class StrictHttpServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {
    private final Queue<HttpMethod> methods = new ArrayDeque<>();

    StrictHttpServerCodec(HttpDecoderConfig config) {
        init(new Decoder(config), new Encoder());
    }

    private final class Decoder extends HttpRequestDecoder {
        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            int before = out.size();
            super.decode(ctx, buffer, out);
            for (int i = before; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest) {
                    methods.add(((HttpRequest) out.get(i)).method());
                }
            }
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            throw new IllegalArgumentException("both Transfer-Encoding and Content-Length");
        }
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
            return HttpMethod.HEAD.equals(methods.poll()) || super.isContentAlwaysEmpty(msg);
        }
    }
}
