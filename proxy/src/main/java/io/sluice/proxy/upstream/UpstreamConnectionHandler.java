package io.sluice.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: hands what the backend sends to the exchange that leases the
 * connection. Anything arriving while the connection sits idle in the pool is a protocol error, so the
 * connection is closed; an idle timeout closes it too. Response statuses feed the endpoint's passive health.
 */
final class UpstreamConnectionHandler extends ChannelInboundHandlerAdapter {
    private UpstreamConnection connection;

    void bind(UpstreamConnection boundConnection) {
        this.connection = boundConnection;
    }

    private UpstreamListener listener() {
        return connection == null ? null : connection.listener();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener listener = listener();
        if (listener == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse) {
            observe(((HttpResponse) msg).status().code());
        }
        listener.onResponse(msg);
    }

    /** Passive health: a final 5xx counts as a failure of the endpoint, any other final status as a success. */
    private void observe(int status) {
        if (status >= 500) {
            connection.endpoint().exchangeFailed();
        } else if (status >= 200) {
            connection.endpoint().exchangeSucceeded();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener listener = listener();
        if (listener != null) {
            listener.onReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener listener = listener();
        if (listener != null) {
            listener.onWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && (connection == null || !connection.isLeased())) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.closed();
            UpstreamListener listener = listener();
            if (listener != null) {
                listener.onClosed(null);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamListener listener = listener();
        if (listener != null) {
            listener.onClosed(cause);
            if (connection != null) {
                connection.attach(null);
            }
        }
        ctx.close();
    }
}
