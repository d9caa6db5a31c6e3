package io.sluice.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 connections of one {@link UpstreamPool}, cleartext ({@code h2c}, prior knowledge) or TLS
 * ({@code https} whose backend selected {@code h2} in ALPN): each exchange gets a new stream on an open
 * connection that can take one more (below the backend's SETTINGS_MAX_CONCURRENT_STREAMS, no GOAWAY received);
 * a new connection is opened only when none can, and exchanges waiting for it share it. When that new https
 * connection's handshake selects {@code http/1.1} instead, the pool keeps it as an idle HTTP/1.1 connection and
 * the waiting exchanges acquire again (the endpoint now knows to use HTTP/1.1). A stream pipeline turns HTTP/1
 * objects into frames and back, so the exchange handler drives it like an HTTP/1.1 connection. Every method runs
 * on the pool's event loop.
 */
final class MultiplexedConnections {
    /** Connection pipeline names. */
    static final String FRAMES = "h2-frames";
    static final String STREAMS = "h2-streams";
    static final String IDLE_CLOSE = "h2-idle-close";
    /** Stream pipeline names, then {@link UpstreamPool#RELAY}. */
    static final String STREAM_CODEC = "h2-stream-codec";
    static final String STREAM_ADAPTER = "h2-stream-adapter";

    private final UpstreamPool pool;
    private final EventLoop loop;
    private final List<Channel> connections = new ArrayList<>();
    private Promise<Channel> connecting;

    MultiplexedConnections(UpstreamPool pool, EventLoop loop) {
        this.pool = pool;
        this.loop = loop;
    }

    /** Whether {@code connection} speaks HTTP/2 (its handlers were {@link #install installed}). */
    static boolean isMultiplexed(Channel connection) {
        return connection.pipeline().get(FRAMES) != null;
    }

    Future<UpstreamConnection> acquire(UpstreamSettings settings) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        Channel open = usable();
        if (open != null) {
            openStream(open, promise);
            return promise;
        }
        if (connecting == null) {
            if (!pool.endpoint().tryReserveConnection()) {
                return promise.setFailure(new UpstreamLimitException(pool.endpoint().authority(),
                        UpstreamLimitException.Reason.LIMIT));
            }
            connecting = connect(settings);
        }
        Promise<Channel> pending = connecting;
        pending.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
            } else if (isMultiplexed(pending.getNow())) {
                openStream(pending.getNow(), promise);
            } else { // the backend selected http/1.1: the connection waits in the pool for one of us
                pool.acquire(settings, false, true).addListener(a -> UpstreamPool.forward(a, promise));
            }
        });
        return promise;
    }

    /** Adds a connection whose HTTP/2 handlers are {@link #install installed}, opened by the HTTP/1.1 path. */
    void add(Channel connection) {
        connections.add(connection);
    }

    /** Turns a connected (and handshaken) channel into an HTTP/2 client connection. */
    void install(Channel connection, UpstreamSettings settings) {
        connection.pipeline()
                .addLast(UpstreamPool.IDLE, new IdleStateHandler(0, 0,
                        settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(FRAMES, Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
                                .maxHeaderListSize(settings.maxResponseHeaderSize()))
                        .build())
                .addLast(STREAMS, new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
                .addLast(IDLE_CLOSE, new IdleConnectionCloser());
        connection.config().setAutoRead(true); // streams read on demand; the connection reads frames always
    }

    void closeIdle() {
        loop.execute(() -> {
            for (Channel connection : List.copyOf(connections)) {
                Http2FrameCodec frames = connection.pipeline().get(Http2FrameCodec.class);
                if (frames == null || frames.connection().numActiveStreams() == 0) {
                    connection.close();
                }
            }
        });
    }

    private Channel usable() {
        connections.removeIf(connection -> !connection.isActive());
        for (Channel connection : connections) {
            Http2FrameCodec frames = connection.pipeline().get(Http2FrameCodec.class);
            if (frames != null && !frames.connection().goAwayReceived()
                    && frames.connection().local().canOpenStream()) {
                return connection;
            }
        }
        return null;
    }

    /** Opens a connection (reserved by the caller); it succeeds with the channel whatever protocol it speaks. */
    private Promise<Channel> connect(UpstreamSettings settings) {
        Promise<Channel> promise = loop.newPromise();
        Future<Channel> opened = pool.open(settings, true);
        opened.addListener(f -> {
            connecting = null;
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
            }
            Channel connection = opened.getNow();
            if (isMultiplexed(connection)) {
                connections.add(connection);
            } else {
                pool.adoptIdle(connection, settings);
            }
            promise.setSuccess(connection);
        });
        return promise;
    }

    private void openStream(Channel connection, Promise<UpstreamConnection> promise) {
        Future<Http2StreamChannel> opened = new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.config().setAutoRead(false); // the exchange reads when the client can take more
                        stream.pipeline()
                                .addLast(STREAM_CODEC, new Http2StreamFrameToHttpObjectCodec(false))
                                .addLast(STREAM_ADAPTER, new UpstreamStreamAdapter())
                                .addLast(UpstreamPool.RELAY, new UpstreamConnectionHandler());
                    }
                }).open();
        opened.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            Http2StreamChannel stream = opened.getNow();
            UpstreamConnection exchange = new UpstreamConnection(stream, pool);
            stream.pipeline().get(UpstreamConnectionHandler.class).bind(exchange);
            exchange.leased();
            pool.endpoint().requestStarted();
            if (!promise.trySuccess(exchange)) {
                exchange.release(false);
            }
        });
    }

    /** Closes the connection when it was idle for the idle timeout with no stream open. */
    private static final class IdleConnectionCloser extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                Http2FrameCodec frames = ctx.pipeline().get(Http2FrameCodec.class);
                if (frames == null || frames.connection().numActiveStreams() == 0) {
                    ctx.close();
                }
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // SETTINGS, PING, GOAWAY: handled by the codec
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
