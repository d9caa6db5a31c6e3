package io.sluice.proxy.entrypoint;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * Slowloris guard: a request head must be complete within a deadline that starts when the connection opens or
 * when the first byte of a new request arrives. Trickling bytes does not extend it (unlike the idle timeout). The
 * exchange handler says when a head was decoded and when the connection waits for the next one
 * ({@link RequestHeadTimer}). On expiry it answers 408 and closes; nothing is in flight then. The deadline is a
 * {@link LazyDeadline}: arming it for every request does not schedule a timer task each time.
 *
 * <p>Driven by {@link ClientTrafficWatch}, which sees the connection's bytes at the socket; the 408 is written
 * from the HTTP codec's place in the pipeline, so over TLS it is encrypted like any other answer.
 */
final class HeaderReadDeadline implements RequestHeadTimer {
    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 16\r\nConnection: close\r\n\r\nrequest timeout\n").getBytes(StandardCharsets.US_ASCII);

    private final ChannelHandlerContext ctx;
    private final long timeoutMillis;
    private final LazyDeadline deadline;
    private boolean awaitingHead = true;
    private boolean stopped;

    /** @param ctx a context of the client connection's pipeline (its executor runs the deadline) */
    HeaderReadDeadline(ChannelHandlerContext ctx, long timeoutMillis) {
        this.ctx = ctx;
        this.timeoutMillis = timeoutMillis;
        this.deadline = new LazyDeadline(ctx.executor(), this::expired);
    }

    /** The connection opened: its first head is due. */
    void opened() {
        if (!stopped) {
            deadline.arm(timeoutMillis);
        }
    }

    /** Bytes arrived: the first byte of a new request starts its deadline. */
    void bytesArrived() {
        if (awaitingHead && !stopped && !deadline.armed()) {
            deadline.arm(timeoutMillis);
        }
    }

    @Override
    public void headReceived() {
        awaitingHead = false;
        deadline.disarm();
    }

    @Override
    public void awaitNextHead() {
        awaitingHead = true;
    }

    /** No HTTP/1 head is awaited any more (HTTP/2, a WebSocket relay, or the connection closed). */
    void stop() {
        stopped = true;
        deadline.close();
    }

    private void expired() {
        if (!awaitingHead || !ctx.channel().isActive()) {
            return;
        }
        ChannelHandlerContext codec = ctx.pipeline().context(EntrypointServer.CODEC);
        if (codec == null) {
            ctx.close();
            return;
        }
        codec.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
    }
}
