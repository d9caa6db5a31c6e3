package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of an HTTP/2 connection's pipeline, standing in for the exchange handler of HTTP/1: on
 * {@link ProxyHandler#DRAIN} it sends GOAWAY (Netty's graceful close: streams already open finish, new ones are
 * refused, the connection closes when the last one ends), and an idle connection with no open stream is closed
 * the same way. Connection-level frames (SETTINGS, PING, GOAWAY) that reach it are released.
 */
final class Http2ConnectionGuard extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ProxyHandler.DRAIN) {
            ctx.close();
        } else if (evt instanceof IdleStateEvent) {
            Http2FrameCodec frames = ctx.pipeline().get(Http2FrameCodec.class);
            if (frames == null || frames.connection().numActiveStreams() == 0) {
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    /** HTTP/2 protocol errors were already answered by the codec (RST_STREAM, or GOAWAY with its code). */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
            ctx.close();
        }
    }
}
