package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * The client connection's idle timeout ({@code --idle-timeout}): when nothing was read from or written to the
 * connection for the timeout, it fires {@link IdleStateEvent#FIRST_ALL_IDLE_STATE_EVENT} down the pipeline (then
 * {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} every further timeout while the connection stays silent), as
 * Netty's {@code IdleStateHandler(0, 0, timeout)} did; the exchange handler closes the connection when no
 * exchange is in progress.
 *
 * <p>It replaces {@code IdleStateHandler} because that one adds a listener to every write's promise to learn when
 * the write completed, which cost about 3 % of the event loop's time on small keep-alive requests. Here a read or
 * a write only moves a {@link LazyDeadline} (a timestamp; one check task per connection stays scheduled). Activity
 * is counted once per batch: at the end of each read from the socket ({@code channelReadComplete}, not for every
 * decoded message) and at each flush that follows writes, so a request costs two clock reads instead of one per
 * message. Activity is counted when a write is flushed rather than when it completes; a write that never
 * completes (a client that stopped reading) therefore still lets the connection time out one timeout after it
 * was flushed.
 */
final class ClientIdleTimeoutHandler extends ChannelDuplexHandler {
    private final long timeoutMillis;
    private ChannelHandlerContext ctx;
    private LazyDeadline deadline;
    private boolean first = true;
    /** Something was written since the last flush. */
    private boolean written;

    /** @param timeoutMillis 0 or less never times out (the handler stays, so the pipeline's shape is the same) */
    ClientIdleTimeoutHandler(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.deadline = new LazyDeadline(context.executor(), this::expired);
        if (context.channel().isActive() && context.channel().isRegistered()) {
            active();
        }
    }

    /** Also removed when the connection becomes a raw relay (WebSocket): the relay has its own lifetime. */
    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        deadline.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        active();
        super.channelActive(context);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        deadline.close();
        super.channelInactive(context);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) throws Exception {
        active();
        context.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) throws Exception {
        written = true;
        context.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext context) throws Exception {
        if (written) {
            written = false;
            active();
        }
        context.flush();
    }

    private void active() {
        if (timeoutMillis <= 0) {
            return;
        }
        first = true;
        deadline.arm(timeoutMillis);
    }

    private void expired() {
        if (!ctx.channel().isOpen()) {
            return;
        }
        IdleStateEvent event = first ? IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT : IdleStateEvent.ALL_IDLE_STATE_EVENT;
        first = false;
        deadline.arm(timeoutMillis); // idle again one timeout later, unless something happens meanwhile
        ctx.fireUserEventTriggered(event);
    }
}
