package io.sluice.proxy.passthrough;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;

/**
 * Drops read requests on a client connection whose input has ended (the client half-closed). With half-closure
 * allowed, a read asked for after the end of input (Netty's ClientHello parser asks for one once the backend is
 * connected) fails on epoll and closes the connection, which would cut the backend's answer off. Stateless.
 */
@ChannelHandler.Sharable
final class InputEndedReadGuard extends ChannelOutboundHandlerAdapter {
    static final String NAME = "passthrough-read-guard";

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
            return;
        }
        ctx.read();
    }
}
