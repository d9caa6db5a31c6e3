package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import io.sluice.proxy.upstream.UpstreamPool;

/**
 * After a protocol switch (WebSocket, {@code 101 Switching Protocols}) the two connections are no longer HTTP:
 * this relays raw bytes to the peer, reading the next chunk only when the last write finished, and closes both
 * sides together. One instance on each of the two connections.
 */
final class RawRelayHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "raw-relay";
    private final Channel peer;

    RawRelayHandler(Channel peer) {
        this.peer = peer;
    }

    /**
     * Takes both connections out of HTTP once the switch response went to the client: a relay on each side in
     * place of its HTTP handlers. {@code http}'s own handler (the one owning {@code http}) leaves before the
     * client's HTTP codec, so bytes the client sent after its upgrade request, which the codec held undecoded,
     * go on to the relay when the codec is removed.
     */
    static void takeOver(ChannelHandlerContext http, Channel backend) {
        ChannelPipeline client = http.pipeline();
        client.addLast(NAME, new RawRelayHandler(backend));
        ((ClientTrafficWatch) client.get(EntrypointServer.WATCH)).relay();
        ChannelPipeline server = backend.pipeline();
        server.addLast(NAME, new RawRelayHandler(http.channel()));
        for (String name : UpstreamPool.HANDLER_NAMES) {
            server.remove(name);
        }
        client.remove(http.handler());
        client.remove(EntrypointServer.CODEC);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg); // e.g. the empty last part the HTTP decoder emits after a 101
            return;
        }
        peer.writeAndFlush(msg).addListener(f -> {
            if (f.isSuccess()) {
                ctx.channel().read();
            } else {
                ctx.close();
            }
        });
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
