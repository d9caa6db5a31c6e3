package io.sluice.proxy.admin;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.function.BooleanSupplier;

/**
 * Counts the requests of one connection that are not answered yet, so that a draining listener can close the
 * connection the moment it is idle instead of cutting a response short. While draining, responses also carry
 * {@code Connection: close}. Sits right after the HTTP codec; touches no message contents.
 */
final class InFlightTracker extends ChannelDuplexHandler {
    private final BooleanSupplier draining;
    private int inFlight;

    InFlightTracker(BooleanSupplier draining) {
        this.draining = draining;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            inFlight++;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean informational = msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (!informational && msg instanceof HttpResponse response && draining.getAsBoolean()) {
            HttpUtil.setKeepAlive(response, false);
        }
        if (!informational && msg instanceof LastHttpContent) {
            ChannelPromise done = promise.unvoid();
            done.addListener(f -> {
                inFlight = Math.max(0, inFlight - 1);
                closeIfIdle(ctx);
            });
            ctx.write(msg, done);
            return;
        }
        ctx.write(msg, promise);
    }

    /** Closes the connection if draining and nothing is in flight. Call on the channel's event loop. */
    void closeIfIdle(ChannelHandlerContext ctx) {
        if (inFlight == 0 && draining.getAsBoolean()) {
            ctx.close();
        }
    }
}
