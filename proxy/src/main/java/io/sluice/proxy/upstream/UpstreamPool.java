package io.sluice.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;

/**
 * The keep-alive connections to one endpoint owned by one event loop. Connections are created on the event
 * loop of the client connection that needs them, so a request and its upstream connection never cross threads.
 * Every method runs on {@link #loop}; nothing here is synchronized.
 */
public final class UpstreamPool {
    /** Pipeline names of an upstream connection. */
    static final String CODEC = "http-client-codec";
    /** Only on h2c connections: HTTP/1.1 ones expire while pooled ({@link PooledIdleExpiry}). */
    static final String IDLE = "idle-timeout";
    static final String RELAY = "upstream-relay";
    /** The TLS handler of an {@code https} connection; stays when the connection switches protocol. */
    public static final String TLS = "upstream-tls";
    /** Every HTTP handler of an upstream connection, removed when it switches protocol. */
    public static final java.util.List<String> HANDLER_NAMES = java.util.List.of(RELAY, CODEC);

    private final UpstreamEndpoint endpoint;
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final PooledIdleExpiry expiry;
    private volatile int idleCount;
    /** The HTTP/2 connections when the endpoint speaks h2c; null for HTTP/1.1. */
    private final H2cConnections http2;

    UpstreamPool(UpstreamEndpoint endpoint, EventLoop loop, Class<? extends Channel> channelType) {
        this.endpoint = endpoint;
        this.loop = loop;
        this.channelType = channelType;
        this.http2 = endpoint.http2() ? new H2cConnections(this, loop, channelType) : null;
        this.expiry = new PooledIdleExpiry(loop, idle, this::expire);
    }

    public UpstreamEndpoint endpoint() {
        return endpoint;
    }

    int idleCount() {
        return idleCount;
    }

    /**
     * A connection for one exchange: an idle pooled one when there is one, else a new one. Fails with
     * {@link UpstreamLimitException} when the endpoint has reached its connection limit. Call on {@link #loop}.
     */
    public Future<UpstreamConnection> acquire(UpstreamSettings settings) {
        return acquire(settings, false);
    }

    /**
     * Like {@link #acquire(UpstreamSettings)}; with {@code fresh}, never a pooled connection (to retry a request
     * that a stale pooled connection lost).
     */
    public Future<UpstreamConnection> acquire(UpstreamSettings settings, boolean fresh) {
        assert loop.inEventLoop();
        if (http2 != null) {
            return http2.acquire(settings);
        }
        Promise<UpstreamConnection> promise = loop.newPromise();
        while (!fresh && !idle.isEmpty()) {
            UpstreamConnection pooled = idle.pollLast();
            idleCount = idle.size();
            if (pooled.channel().isActive()) {
                pooled.leased();
                endpoint.requestStarted();
                return promise.setSuccess(pooled);
            }
        }
        if (!endpoint.tryReserveConnection()) {
            return promise.setFailure(new UpstreamLimitException(endpoint.authority()));
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (endpoint.tls() != null) {
                            ch.pipeline().addLast(TLS, endpoint.tls().newHandler(ch.alloc(), endpoint,
                                    settings.connectTimeout().toMillis()));
                        }
                        ch.pipeline()
                                .addLast(CODEC, new HttpClientCodec(4096, settings.maxResponseHeaderSize(), 16384))
                                .addLast(RELAY, new UpstreamConnectionHandler());
                    }
                });
        ChannelFuture connect = bootstrap.connect(endpoint.address(), endpoint.port());
        connect.channel().closeFuture().addListener(f -> endpoint.connectionClosed());
        connect.addListener(f -> {
            if (f.isSuccess() && endpoint.tls() != null) {
                handshake(connect.channel(), promise, settings);
            } else if (f.isSuccess()) {
                lease(connect.channel(), promise, settings);
            } else {
                endpoint.exchangeFailed();
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    /** Leases a new TLS connection once its handshake succeeded; a failed handshake fails the lease. */
    private void handshake(Channel channel, Promise<UpstreamConnection> promise, UpstreamSettings settings) {
        SslHandler tls = (SslHandler) channel.pipeline().get(TLS);
        tls.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                lease(channel, promise, settings);
            } else {
                endpoint.exchangeFailed();
                channel.close();
                promise.setFailure(new UpstreamTlsException(endpoint.authority(), h.cause()));
            }
        });
        channel.read(); // reads are off by default; the handshake needs the server's answer
    }

    /** Hands a newly opened (and, for TLS, handshaken) connection to the exchange that asked for it. */
    private void lease(Channel channel, Promise<UpstreamConnection> promise, UpstreamSettings settings) {
        UpstreamConnection connection = new UpstreamConnection(channel, this,
                Math.max(0L, settings.idleTimeout().toNanos()));
        channel.pipeline().get(UpstreamConnectionHandler.class).bind(connection);
        connection.leased();
        endpoint.requestStarted();
        promise.setSuccess(connection);
    }

    /** Takes back a connection whose exchange ended cleanly; closes it instead when the endpoint is retired. */
    void offer(UpstreamConnection connection) {
        if (http2 != null || endpoint.retired() || !connection.channel().isActive()) {
            // an HTTP/2 stream is never reused: closing a finished stream is a no-op
            connection.channel().close();
            return;
        }
        connection.pooledAt(expiry.now());
        idle.addLast(connection);
        idleCount = idle.size();
        expiry.pooled(connection);
        // read while idle so that a close by the backend is noticed and the connection dropped
        connection.channel().read();
    }

    /** An idle connection reached its idle timeout. */
    private void expire(UpstreamConnection connection) {
        forget(connection);
        connection.channel().close();
    }

    void forget(UpstreamConnection connection) {
        if (idle.remove(connection)) {
            idleCount = idle.size();
        }
    }

    void closeIdle() {
        if (http2 != null) {
            http2.closeIdle();
        }
        loop.execute(() -> {
            expiry.cancel();
            while (!idle.isEmpty()) {
                idle.pollFirst().channel().close();
            }
            idleCount = 0;
        });
    }

    void requestEnded() {
        endpoint.requestEnded();
    }
}
