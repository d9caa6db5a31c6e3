package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Counts the entrypoint's open client connections, closes those over the limit as soon as they are accepted, and
 * keeps the set of open ones so that a drain can reach each of them.
 */
@ChannelHandler.Sharable
final class ConnectionTracker extends ChannelInboundHandlerAdapter {
    private final int maxConnections;
    private final ChannelGroup open = new DefaultChannelGroup("client-connections", GlobalEventExecutor.INSTANCE);

    ConnectionTracker(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.size() >= maxConnections) {
            ctx.close();
            return;
        }
        open.add(ctx.channel());
        super.channelActive(ctx);
    }

    int openCount() {
        return open.size();
    }

    ChannelGroup open() {
        return open;
    }
}
