package io.sluice.proxy.upstream;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Lets the exchange handler drive one HTTP/2 stream to a backend as it drives an HTTP/1.1 connection:
 * <ul>
 * <li>a response that ended with its HEADERS frame (a gRPC "trailers-only" error, a 204, an interim 1xx) arrives
 *     as one full response; it is passed on as head plus last content;</li>
 * <li>Netty's {@code x-http2-*} bookkeeping headers are dropped from responses;</li>
 * <li>a gRPC request gets {@code te: trailers} back (RFC 9113 section 8.2.2 allows it; gRPC servers expect it):
 *     the exchange handler removed it with the other hop-by-hop headers.</li>
 * </ul>
 */
final class UpstreamStreamAdapter extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpResponse)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpResponse response = (HttpResponse) msg;
        removeBookkeeping(response.headers());
        if (msg instanceof FullHttpResponse) {
            FullHttpResponse full = (FullHttpResponse) msg;
            HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers());
            DefaultLastHttpContent last = new DefaultLastHttpContent(full.content().retain(), full.trailingHeaders());
            full.release();
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(last);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpRequest) {
            HttpHeaders headers = ((HttpRequest) msg).headers();
            String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
            if (type != null && type.startsWith("application/grpc")) {
                headers.set(HttpHeaderNames.TE, "trailers");
            }
        }
        ctx.write(msg, promise);
    }

    private static void removeBookkeeping(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(name.text());
        }
    }
}
