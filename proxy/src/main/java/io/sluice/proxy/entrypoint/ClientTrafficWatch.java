package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * The first handler of every client connection: it sees each read from and write to the socket, and feeds them to
 * the three things that need exactly that: the byte counters ({@link ByteCounter}), the request-head deadline
 * ({@link HeaderReadDeadline}, the slowloris guard) and the idle timeout ({@link IdleDeadline}).
 *
 * <p>One handler for the three, rather than one each, because every handler a message passes costs a pipeline
 * hop on every read, write and flush. With the response shaping handlers also added only when a route asks for
 * them, this measured 4-6 % less event-loop CPU per small keep-alive request than the separate handlers (removing
 * all five outright, the upper bound, 7-9 %): docs/benchmarks.md, "Session 4: fewer hops, whole messages".
 */
final class ClientTrafficWatch extends ChannelDuplexHandler implements RequestHeadTimer {
    private final ByteCounter bytes;
    private final long headerTimeoutMillis;
    private final long idleTimeoutMillis;
    private HeaderReadDeadline head;
    private IdleDeadline idle;
    /** Something was written since the last flush. */
    private boolean written;

    ClientTrafficWatch(ByteCounter bytes, long headerTimeoutMillis, long idleTimeoutMillis) {
        this.bytes = bytes;
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    /** Told by the connection's HTTP/1 exchange handler. */
    @Override
    public void headReceived() {
        head.headReceived();
    }

    @Override
    public void awaitNextHead() {
        head.awaitNextHead();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        head = new HeaderReadDeadline(ctx, headerTimeoutMillis);
        idle = new IdleDeadline(ctx, idleTimeoutMillis);
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            idle.activity();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopDeadlines();
    }

    /** The connection switched to HTTP/2: no HTTP/1 head is awaited any more; bytes and idleness still count. */
    void http2() {
        head.stop();
    }

    /** The connection became a raw relay (WebSocket): only its bytes still count. */
    void relay() {
        stopDeadlines();
    }

    private void stopDeadlines() {
        head.stop();
        idle.stop();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        head.opened();
        idle.activity();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopDeadlines();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            int readable = ((ByteBuf) msg).readableBytes();
            bytes.received(readable);
            if (readable > 0) {
                head.bytesArrived();
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        idle.activity();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf) {
            bytes.sent(((ByteBuf) msg).readableBytes());
        }
        written = true;
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (written) {
            written = false;
            idle.activity();
        }
        ctx.flush();
    }
}
