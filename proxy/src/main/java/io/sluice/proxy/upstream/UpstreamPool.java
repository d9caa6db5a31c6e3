package io.sluice.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive connections to one endpoint owned by one event loop. Connections are created on the event
 * loop of the client connection that needs them, so a request and its upstream connection never cross threads.
 * Every method runs on {@link #loop}; nothing here is synchronized.
 */
public final class UpstreamPool {
    /** Pipeline names of an upstream connection. */
    static final String CODEC = "http-client-codec";
    static final String IDLE = "idle-timeout";
    static final String RELAY = "upstream-relay";
    /** The TLS handler of an {@code https} connection; stays when the connection switches protocol. */
    public static final String TLS = "upstream-tls";
    /** Every HTTP handler of an upstream connection, removed when it switches protocol. */
    public static final java.util.List<String> HANDLER_NAMES = java.util.List.of(RELAY, IDLE, CODEC);

    private final UpstreamEndpoint endpoint;
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private volatile int idleCount;
    /** The HTTP/2 connections when the endpoint speaks h2c; null for HTTP/1.1. */
    private final H2cConnections http2;

    UpstreamPool(UpstreamEndpoint endpoint, EventLoop loop, Class<? extends Channel> channelType) {
        this.endpoint = endpoint;
        this.loop = loop;
        this.channelType = channelType;
        this.http2 = endpoint.http2() ? new H2cConnections(this, loop, channelType) : null;
    }

    public UpstreamEndpoint endpoint() {
        return endpoint;
    }

    int idleCount() {
        return idleCount;
    }

    /**
     * A connection for one exchange: an idle pooled one when there is one, else a new one. At the endpoint's
     * connection limit the request waits in the endpoint's {@link UpstreamQueue}; it fails with
     * {@link UpstreamQueueException} when the queue is full or the wait too long, and with
     * {@link UpstreamLimitException} when queueing is off. The caller may cancel the future while it waits (the
     * client left). Call on {@link #loop}.
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
        UpstreamQueue queue = endpoint.queue();
        if (queue.isEmpty() && endpoint.tryReserveConnection()) {
            open(settings, promise);
            return promise;
        }
        return queue.enqueue(this, settings, promise); // at the limit, or others wait already: wait behind them
    }

    EventLoop loop() {
        return loop;
    }

    /** Opens a connection for a queued request that the queue reserved a slot for; on {@link #loop}. */
    void openReserved(UpstreamQueue.Waiter waiter) {
        waiter.stopTimer();
        if (waiter.promise.isDone()) {
            endpoint.connectionClosed(); // the client left meanwhile: the slot goes to the next waiter
            return;
        }
        open(waiter.settings, waiter.promise);
    }

    /** Opens a new connection, its slot already reserved, and leases it to {@code promise} once ready. */
    void open(UpstreamSettings settings, Promise<UpstreamConnection> promise) {
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
                                .addLast(IDLE, new IdleStateHandler(0, 0,
                                        settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(RELAY, new UpstreamConnectionHandler());
                    }
                });
        ChannelFuture connect = bootstrap.connect(endpoint.address(), endpoint.port());
        connect.channel().closeFuture().addListener(f -> endpoint.connectionClosed());
        connect.addListener(f -> {
            if (f.isSuccess() && endpoint.tls() != null) {
                handshake(connect.channel(), promise);
            } else if (f.isSuccess()) {
                lease(connect.channel(), promise);
            } else {
                endpoint.exchangeFailed();
                promise.tryFailure(f.cause());
            }
        });
    }

    /** Leases a new TLS connection once its handshake succeeded; a failed handshake fails the lease. */
    private void handshake(Channel channel, Promise<UpstreamConnection> promise) {
        SslHandler tls = (SslHandler) channel.pipeline().get(TLS);
        tls.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                lease(channel, promise);
            } else {
                endpoint.exchangeFailed();
                channel.close();
                promise.tryFailure(new UpstreamTlsException(endpoint.authority(), h.cause()));
            }
        });
        channel.read(); // reads are off by default; the handshake needs the server's answer
    }

    /** Hands a newly opened (and, for TLS, handshaken) connection to the exchange that asked for it. */
    private void lease(Channel channel, Promise<UpstreamConnection> promise) {
        UpstreamConnection connection = new UpstreamConnection(channel, this);
        channel.pipeline().get(UpstreamConnectionHandler.class).bind(connection);
        handOver(connection, promise);
    }

    /** Leases {@code connection} to {@code promise}; pools it instead when the request was given up meanwhile. */
    private void handOver(UpstreamConnection connection, Promise<UpstreamConnection> promise) {
        connection.leased();
        endpoint.requestStarted();
        if (!promise.trySuccess(connection)) {
            connection.release(true);
        }
    }

    /** Takes back a connection whose exchange ended cleanly; closes it instead when the endpoint is retired. */
    void offer(UpstreamConnection connection) {
        if (http2 != null || endpoint.retired() || !connection.channel().isActive()) {
            // an HTTP/2 stream is never reused: closing a finished stream is a no-op
            connection.channel().close();
            return;
        }
        idle.addLast(connection);
        idleCount = idle.size();
        // read while idle so that a close by the backend is noticed and the connection dropped
        connection.channel().read();
        if (!endpoint.queue().isEmpty()) {
            serveWaiters();
        }
    }

    /**
     * Requests wait for this endpoint: an idle connection goes to the oldest waiter of this loop; when the
     * waiters are all on other loops, one idle connection is closed so that its slot goes to them. On
     * {@link #loop}; see {@link UpstreamQueue} for why.
     */
    void serveWaiters() {
        UpstreamQueue queue = endpoint.queue();
        while (!idle.isEmpty() && !queue.isEmpty()) {
            if (!idle.peekLast().channel().isActive()) {
                idle.pollLast();
                continue;
            }
            UpstreamQueue.Waiter waiter = queue.takeFrom(this);
            if (waiter == null) {
                idle.pollFirst().channel().close();
                break;
            }
            waiter.stopTimer();
            handOver(idle.pollLast(), waiter.promise);
        }
        idleCount = idle.size();
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
