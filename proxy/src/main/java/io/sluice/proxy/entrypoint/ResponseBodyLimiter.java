package io.sluice.proxy.entrypoint;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code buffering}'s response side: for a response whose route set {@code maxResponseBodyBytes} (told by
 * {@link ResponseShaping}, {@link #limitNext}), holds the head and body until the last part, then sends them; a
 * body that grows past the limit is dropped and a 500 sent instead, so the client never gets part of it (as
 * Traefik does).
 * Other responses pass straight through. Held messages are released if the connection closes first.
 */
final class ResponseBodyLimiter extends ChannelDuplexHandler {
    private final List<Object> held = new ArrayList<>();
    private final List<ChannelPromise> promises = new ArrayList<>();
    private long limit;
    private long size;
    private boolean holding;
    private boolean dropping;
    /** Told for the next final response head, taken when it passes; 0 for none. */
    private long next;

    /** The next final response head's body may not exceed {@code maxBytes}. */
    void limitNext(long maxBytes) {
        this.next = maxBytes;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse && ((HttpResponse) msg).status().code() >= 200) {
            holding = next > 0;
            dropping = false;
            limit = next;
            next = 0;
            size = 0;
        }
        if (dropping) {
            ReferenceCountUtil.release(msg);
            promise.setSuccess();
            dropping = !(msg instanceof LastHttpContent);
            return;
        }
        if (!holding) {
            ctx.write(msg, promise);
            return;
        }
        held.add(msg);
        promises.add(promise);
        if (msg instanceof HttpContent) {
            size += ((HttpContent) msg).content().readableBytes();
        }
        if (size > limit) {
            holding = false;
            dropping = !(msg instanceof LastHttpContent);
            dropHeld();
            ctx.write(tooLarge());
            return;
        }
        if (msg instanceof LastHttpContent) {
            holding = false;
            for (int i = 0; i < held.size(); i++) {
                ctx.write(held.get(i), promises.get(i));
            }
            held.clear();
            promises.clear();
        }
    }

    private static FullHttpResponse tooLarge() {
        byte[] body = "response body too large\n".getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.INTERNAL_SERVER_ERROR, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(response, body.length);
        return response;
    }

    private void dropHeld() {
        for (Object msg : held) {
            ReferenceCountUtil.release(msg);
        }
        for (ChannelPromise promise : promises) {
            promise.trySuccess();
        }
        held.clear();
        promises.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        dropHeld();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        dropHeld();
    }
}
