package io.sluice.proxy.entrypoint;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection whose request body was not read without losing the answer just written. Closing
 * a TCP socket with unread bytes in its receive buffer makes the kernel send RST, and a client that is still
 * sending its body then loses the response it had not read yet (it sees "connection reset" instead of, say, a
 * 413 or a 401). So, once the answer is written, the output is shut down (the client reads the answer, then EOF)
 * and whatever still arrives is read and dropped until the client closes, or for at most {@link #LINGER_MILLIS}.
 * A channel that cannot half-close is simply closed.
 */
final class LingeringClose implements ChannelFutureListener {
    static final LingeringClose INSTANCE = new LingeringClose();
    static final long LINGER_MILLIS = 2_000;

    private LingeringClose() {
    }

    @Override
    public void operationComplete(ChannelFuture written) {
        Channel channel = written.channel();
        if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        channel.pipeline().addFirst("lingering-close", new Discard());
        channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                channel.close();
            }
        });
        channel.config().setAutoRead(true);
        channel.read();
    }

    /** Drops every inbound message and event; the channel closes when the client closes, or at the deadline. */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            // dropped, ChannelOutputShutdownEvent included: the client's EOF closes the channel (no half-closure)
            ReferenceCountUtil.release(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
