package io.sluice.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;

/**
 * The connections to one endpoint owned by one event loop. Connections are created on the event loop of the
 * client connection that needs them, so a request and its upstream connection never cross threads. Every method
 * runs on {@link #loop}; nothing here is synchronized.
 *
 * <p>HTTP/1.1 connections are kept alive here, one exchange at a time. HTTP/2 connections ({@code h2c}, or
 * {@code https} whose backend selects {@code h2} in ALPN) are the {@link MultiplexedConnections}'. For https the
 * protocol is learned, per endpoint, from the handshakes: until one selects {@code http/1.1}, exchanges share one
 * connection being opened (offering {@code h2} and {@code http/1.1}); a connection whose handshake selected the
 * other protocol than expected is kept under that protocol, and the endpoint remembers the choice. An exchange
 * that must stay HTTP/1.1 (a WebSocket upgrade) gets a connection that offered only {@code http/1.1}.
 */
public final class UpstreamPool {
    /** Pipeline names of an upstream connection. */
    static final String CODEC = "http-client-codec";
    /** Only on h2c connections: HTTP/1.1 ones expire while pooled ({@link PooledIdleExpiry}). */
    static final String IDLE = "idle-timeout";
    static final String RELAY = "upstream-relay";
    /** The TLS handler of an {@code https} connection; stays when the connection switches protocol. */
    public static final String TLS = "upstream-tls";
    /** Until the protocol handlers are installed: closes the connection on an error (a failed handshake). */
    static final String OPENING = "upstream-opening";
    /** Every HTTP handler of an upstream connection, removed when it switches protocol. */
    public static final java.util.List<String> HANDLER_NAMES = java.util.List.of(RELAY, CODEC);

    private final UpstreamEndpoint endpoint;
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final PooledIdleExpiry expiry;
    private volatile int idleCount;
    /** The HTTP/2 connections for h2c, or https offering h2; null when the endpoint only speaks HTTP/1.1. */
    private final MultiplexedConnections http2;

    UpstreamPool(UpstreamEndpoint endpoint, EventLoop loop, Class<? extends Channel> channelType) {
        this.endpoint = endpoint;
        this.loop = loop;
        this.channelType = channelType;
        boolean mayMultiplex = endpoint.http2() || (endpoint.tls() != null && endpoint.tls().offersHttp2());
        this.http2 = mayMultiplex ? new MultiplexedConnections(this, loop) : null;
        this.expiry = new PooledIdleExpiry(loop, idle, this::expire);
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
     * {@link UpstreamLimitException} when the queue is full, the wait too long or queueing off (its
     * {@link UpstreamLimitException.Reason} says which). The caller may cancel the future while it waits (the
     * client left). Call on {@link #loop}.
     */
    public Future<UpstreamConnection> acquire(UpstreamSettings settings) {
        return acquire(settings, false, false);
    }

    /**
     * Like {@link #acquire(UpstreamSettings)}; with {@code fresh}, never a pooled connection (to retry a request
     * that a stale pooled connection lost).
     */
    public Future<UpstreamConnection> acquire(UpstreamSettings settings, boolean fresh) {
        return acquire(settings, fresh, false);
    }

    /**
     * Like {@link #acquire(UpstreamSettings, boolean)}; with {@code http1}, an HTTP/1.1 connection even when the
     * https backend speaks HTTP/2 (a WebSocket upgrade needs one). An h2c endpoint has only HTTP/2 connections.
     */
    public Future<UpstreamConnection> acquire(UpstreamSettings settings, boolean fresh, boolean http1) {
        assert loop.inEventLoop();
        if (endpoint.http2() || (!http1 && endpoint.multiplexes())) {
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
            openFor(settings, http2 != null && !http1, promise);
            return promise;
        }
        return queue.enqueue(this, settings, promise); // at the limit, or others wait already: wait behind them
    }

    EventLoop loop() {
        return loop;
    }

    /**
     * Opens a connection for a queued request that the queue reserved a slot for; on {@link #loop}. It offers
     * only HTTP/1.1: a queued request is on the HTTP/1.1 path (a WebSocket upgrade, or an endpoint whose protocol
     * is not known to be h2), and an upgrade must never land on an HTTP/2 connection.
     */
    void openReserved(UpstreamQueue.Waiter waiter) {
        waiter.stopTimer();
        if (waiter.promise.isDone()) {
            endpoint.connectionClosed(); // the client left meanwhile: the slot goes to the next waiter
            return;
        }
        openFor(waiter.settings, false, waiter.promise);
    }

    /**
     * Opens a new connection, its slot already reserved, and leases it to {@code promise} once ready; when the
     * https backend selected h2 after all, the exchange becomes a stream on it instead.
     */
    void openFor(UpstreamSettings settings, boolean offerHttp2, Promise<UpstreamConnection> promise) {
        Future<Channel> opened = open(settings, offerHttp2);
        opened.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
            } else if (MultiplexedConnections.isMultiplexed(opened.getNow())) {
                http2.add(opened.getNow()); // the backend selected h2 after all: this exchange becomes a stream
                http2.acquire(settings).addListener(s -> forward(s, promise));
            } else {
                lease(opened.getNow(), promise, settings);
            }
        });
    }

    /**
     * Opens a connection the caller reserved and, once connected (and for https handshaken), installs the
     * handlers of the protocol it speaks: HTTP/2 for h2c or when the handshake selected {@code h2} (only offered
     * with {@code offerHttp2}), HTTP/1.1 otherwise. The handlers are installed in the handshake's own callback,
     * before anything the backend sent after it is passed on. Reads are off until an exchange asks.
     */
    Future<Channel> open(UpstreamSettings settings, boolean offerHttp2) {
        Promise<Channel> promise = loop.newPromise();
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
                                    settings.connectTimeout().toMillis(), offerHttp2));
                        }
                        ch.pipeline().addLast(OPENING, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // the handshake future reports it
                            }
                        });
                    }
                });
        ChannelFuture connect = bootstrap.connect(endpoint.address(), endpoint.port());
        connect.channel().closeFuture().addListener(f -> endpoint.connectionClosed());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                endpoint.exchangeFailed();
                promise.tryFailure(f.cause());
            } else if (endpoint.tls() != null) {
                handshake(connect.channel(), settings, offerHttp2, promise);
            } else {
                install(connect.channel(), settings, endpoint.http2());
                promise.setSuccess(connect.channel());
            }
        });
        return promise;
    }

    /** Completes {@code promise} once the handshake succeeded, with the selected protocol's handlers installed. */
    private void handshake(Channel channel, UpstreamSettings settings, boolean offerHttp2, Promise<Channel> promise) {
        SslHandler tls = (SslHandler) channel.pipeline().get(TLS);
        tls.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                boolean h2 = offerHttp2 && UpstreamTlsPolicy.H2.equals(tls.applicationProtocol());
                if (offerHttp2) {
                    endpoint.selected(h2);
                }
                install(channel, settings, h2);
                promise.setSuccess(channel);
            } else {
                endpoint.exchangeFailed();
                channel.close();
                promise.tryFailure(new UpstreamTlsException(endpoint.authority(), h.cause()));
            }
        });
        channel.read(); // reads are off by default; the handshake needs the server's answer
    }

    private void install(Channel channel, UpstreamSettings settings, boolean h2) {
        channel.pipeline().remove(OPENING);
        if (h2) {
            http2.install(channel, settings);
            return;
        }
        channel.pipeline()
                .addLast(CODEC, new UpstreamHttpCodec(settings.maxResponseHeaderSize()))
                .addLast(RELAY, new UpstreamConnectionHandler());
    }

    /** Hands a newly opened HTTP/1.1 connection to the exchange that asked for it. */
    private void lease(Channel channel, Promise<UpstreamConnection> promise, UpstreamSettings settings) {
        UpstreamConnection connection = pooled(channel, settings);
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

    /**
     * Keeps a new HTTP/1.1 connection that was opened for HTTP/2 (the backend selected {@code http/1.1}) as an
     * idle one, for the exchanges that waited for it to {@link #acquire} again.
     */
    void adoptIdle(Channel channel, UpstreamSettings settings) {
        offer(pooled(channel, settings));
    }

    /** A new HTTP/1.1 connection of this pool, its relay bound to it; closed after {@code settings}' idle time. */
    private UpstreamConnection pooled(Channel channel, UpstreamSettings settings) {
        UpstreamConnection connection = new UpstreamConnection(channel, this,
                Math.max(0L, settings.idleTimeout().toNanos()));
        channel.pipeline().get(UpstreamConnectionHandler.class).bind(connection);
        return connection;
    }

    /** Takes back a connection whose exchange ended cleanly; closes it instead when the endpoint is retired. */
    void offer(UpstreamConnection connection) {
        if (connection.channel() instanceof Http2StreamChannel || endpoint.retired()
                || !connection.channel().isActive()) {
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

    /** Passes an exchange's lease on to {@code promise}; ends the lease when nobody takes it. */
    static void forward(Future<?> acquired, Promise<UpstreamConnection> promise) {
        if (!acquired.isSuccess()) {
            promise.tryFailure(acquired.cause());
            return;
        }
        UpstreamConnection connection = (UpstreamConnection) acquired.getNow();
        if (!promise.trySuccess(connection)) {
            connection.release(false);
        }
    }
}
