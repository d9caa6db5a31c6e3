package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * The client connection's idle timeout ({@code --idle-timeout}): when nothing was read from or written to the
 * connection for the timeout, it fires {@link IdleStateEvent#FIRST_ALL_IDLE_STATE_EVENT} down the pipeline (then
 * {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} every further timeout while the connection stays silent), as
 * Netty's {@code IdleStateHandler(0, 0, timeout)} does; the exchange handler (or the HTTP/2 connection guard)
 * closes the connection when no exchange is in progress.
 *
 * <p>Not Netty's {@code IdleStateHandler}: that one adds a listener to every write's promise to learn when the
 * write completed, which cost about 3 % of the event loop's time on small keep-alive requests. Here activity
 * only moves a {@link LazyDeadline} (a timestamp; one check task per connection stays scheduled), and
 * {@link ClientTrafficWatch} reports it once per batch: at the end of each read from the socket and at each flush
 * that follows writes. A write that never completes (a client that stopped reading) therefore still lets the
 * connection time out one timeout after it was flushed.
 */
final class IdleDeadline {
    private final ChannelHandlerContext ctx;
    private final long timeoutMillis;
    private final LazyDeadline deadline;
    private boolean first = true;
    private boolean stopped;

    /**
     * @param ctx           the context the idle events are fired from
     * @param timeoutMillis 0 or less never times out
     */
    IdleDeadline(ChannelHandlerContext ctx, long timeoutMillis) {
        this.ctx = ctx;
        this.timeoutMillis = timeoutMillis;
        this.deadline = new LazyDeadline(ctx.executor(), this::expired);
    }

    /** Something was read or written: the connection is idle one timeout from now. */
    void activity() {
        if (timeoutMillis <= 0 || stopped) {
            return;
        }
        first = true;
        deadline.arm(timeoutMillis);
    }

    /** No idle timeout any more (a WebSocket relay has its own lifetime, or the connection closed). */
    void stop() {
        stopped = true;
        deadline.close();
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
