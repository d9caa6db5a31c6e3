package io.sluice.proxy.passthrough;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies raw bytes from its connection to the peer connection, one instance on each side of a passthrough relay
 * (client and backend share an event loop). Back pressure: reads (auto-read is off) continue only while the peer
 * can take more; when the peer's buffer drains, the peer's relay asks this side to read again. Half-close: end of
 * input on one side shuts down the output of the other once what was read is flushed; when both directions have
 * ended, both connections close. Any other close or error closes both.
 */
final class PassthroughRelay extends ChannelInboundHandlerAdapter {
    static final String NAME = "passthrough-relay";

    private final Channel peer;

    PassthroughRelay(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        peer.write(msg).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (peer.isWritable()) {
            readMore(ctx.channel());
        }
    }

    /** This connection drained its outbound buffer: the peer, which stopped reading for it, may read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            readMore(peer);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private static void readMore(Channel source) {
        if (source.isActive() && !isInputShutdown(source)) {
            source.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            inputEnded(ctx.channel());
        }
        ReferenceCountUtil.release(evt);
    }

    /** End of input here: flush what was read, end the peer's output, and close both once both ends are done. */
    private void inputEnded(Channel self) {
        if (!(peer instanceof DuplexChannel duplexPeer) || !peer.isActive()) {
            self.close();
            return;
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> {
            if (!flushed.isSuccess()) {
                self.close();
                return;
            }
            duplexPeer.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess() || isInputShutdown(peer)) {
                    self.close();
                    peer.close();
                }
            });
        });
    }

    private static boolean isInputShutdown(Channel channel) {
        return channel instanceof DuplexChannel duplex && duplex.isInputShutdown();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
