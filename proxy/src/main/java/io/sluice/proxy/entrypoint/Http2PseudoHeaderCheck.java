package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Resets a stream whose request head lacks {@code :method}, or {@code :path} outside CONNECT (RFC 9113 section
 * 8.3.1), before the frame-to-HTTP/1 codec sees it. The codec would refuse such a head too, but Netty 4.2.18's
 * conversion allocates the request's body buffer before it checks these, and loses that buffer when it throws.
 * Only a stream's first HEADERS frame is a request head; a later one carries trailers.
 */
final class Http2PseudoHeaderCheck extends ChannelInboundHandlerAdapter {
    private boolean headSeen;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!headSeen && msg instanceof Http2HeadersFrame) {
            headSeen = true;
            if (malformed(((Http2HeadersFrame) msg).headers())) {
                ReferenceCountUtil.release(msg);
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    static boolean malformed(Http2Headers headers) {
        CharSequence method = headers.method();
        if (method == null) {
            return true;
        }
        return headers.path() == null && !HttpMethod.CONNECT.asciiName().contentEqualsIgnoreCase(method);
    }
}
