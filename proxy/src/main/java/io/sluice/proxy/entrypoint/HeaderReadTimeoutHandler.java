package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * Slowloris guard: a request head must be complete within a deadline that starts when the connection opens or
 * when the first byte of a new request arrives. Trickling bytes does not extend it (unlike the idle timeout).
 * Sits before the codec so it sees raw bytes; the proxy handler tells it when a head was decoded and when the
 * connection waits for the next one. On expiry it answers 408 and closes; nothing is in flight then. The deadline
 * is a {@link LazyDeadline}: arming it for every request does not schedule a timer task each time.
 */
final class HeaderReadTimeoutHandler extends ChannelDuplexHandler {
    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 16\r\nConnection: close\r\n\r\nrequest timeout\n").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutMillis;
    private ChannelHandlerContext ctx;
    private LazyDeadline deadline;
    private boolean awaitingHead = true;

    HeaderReadTimeoutHandler(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.deadline = new LazyDeadline(context.executor(), this::expired);
    }

    /** Also removed when the connection switches to HTTP/2: no HTTP/1 head is awaited any more. */
    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        deadline.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        arm();
        super.channelActive(context);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
        if (awaitingHead && !deadline.armed() && msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
            arm();
        }
        super.channelRead(context, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        deadline.close();
        super.channelInactive(context);
    }

    /** A complete request head was decoded. */
    void headReceived() {
        awaitingHead = false;
        cancel();
    }

    /** The exchange ended and the connection stays open for the next request. */
    void awaitNextHead() {
        awaitingHead = true;
    }

    private void arm() {
        deadline.arm(timeoutMillis);
    }

    private void cancel() {
        deadline.disarm();
    }

    private void expired() {
        if (awaitingHead && ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
