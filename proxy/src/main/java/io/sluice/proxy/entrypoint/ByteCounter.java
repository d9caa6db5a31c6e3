package io.sluice.proxy.entrypoint;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts the bytes clients send and receive on an entrypoint, at the socket (headers and framing included). */
@ChannelHandler.Sharable
final class ByteCounter extends ChannelDuplexHandler {
    private final Counter in;
    private final Counter out;

    ByteCounter(MeterRegistry registry, String entrypoint) {
        this.in = Counter.builder("sluice.bytes.in").baseUnit("bytes").description("Bytes received from clients")
                .tag("entrypoint", entrypoint).register(registry);
        this.out = Counter.builder("sluice.bytes.out").baseUnit("bytes").description("Bytes sent to clients")
                .tag("entrypoint", entrypoint).register(registry);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            in.increment(((ByteBuf) msg).readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf) {
            out.increment(((ByteBuf) msg).readableBytes());
        }
        ctx.write(msg, promise);
    }
}
