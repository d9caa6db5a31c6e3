package io.sluice.proxy.entrypoint;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.lifecycle.Drainable;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.middleware.ContentEncodings;
import io.sluice.proxy.passthrough.PassthroughRoutes;
import io.sluice.proxy.passthrough.TlsPassthrough;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One named HTTP/1.1 entrypoint: accepts client connections and runs each through the proxy pipeline. Uses
 * epoll when available, NIO otherwise. Lifecycle: {@link #start()}, then on shutdown {@link #stopAccepting()},
 * {@link #drain()} and {@link #close()}.
 */
public final class EntrypointServer implements Drainable {
    /** Client pipeline handler names, in order. */
    /** Bytes, the request-head deadline and the idle timeout (see {@link ClientTrafficWatch}). */
    public static final String WATCH = "traffic-watch";
    public static final String TLS = "tls-sni";
    public static final String TRACKER = "connection-tracker";
    public static final String CODEC = "http-codec";
    public static final String PROXY = "proxy";
    /** A request asking for {@code Upgrade: h2c} with a larger body is answered 413. */
    private static final int MAX_H2C_UPGRADE_BODY = 64 * 1024;
    public static final String HTTPS_REDIRECT = "https-redirect";
    /*
     * Added only when a route asks for them, just in front of PROXY (see ResponseShaping): ResponseShaping.COMPRESS
     * compresses responses of routes with a compress middleware, ResponseShaping.RESPONSE_LIMIT holds responses of
     * routes with buffering.maxResponseBodyBytes until complete.
     */

    private final EntrypointSettings settings;
    private final ActiveSnapshot<CompiledSnapshot> active;
    private final ConnectionTracker tracker;
    private final ForwardingHeaders forwarding;
    private final PathNormalizer paths;
    private final ExchangeRecorder recorder;
    private final ByteCounter byteCounter;
    private final ResponseShaping shaping = new ResponseShaping(ContentEncodings.detect());
    private final OwnHeaderNames requestHeaderNames = new OwnHeaderNames(ForwardingHeaders.names());
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Class<? extends ServerChannel> serverChannelType;
    private final Mapping<String, SslContext> sni;
    /** Null: HTTP/1.1 only. */
    private final Http2Connections http2;
    /** 0, or the HTTPS port every request is redirected to (see {@link HttpsRedirectHandler}). */
    private final int redirectToHttpsPort;
    private Channel serverChannel;
    /** Null for plain HTTP; else routes TLS connections by SNI before termination (see {@link TlsPassthrough}). */
    private final TlsPassthrough passthrough;

    /**
     * @param workerThreads event loops for client and upstream connections (0: Netty's default, 2 x cores)
     * @param accessLog     whether to write the JSON access log
     */
    public EntrypointServer(EntrypointSettings settings, ActiveSnapshot<CompiledSnapshot> active,
            MeterRegistry registry, int workerThreads, boolean accessLog) {
        this(settings, active, registry, workerThreads, accessLog, null);
    }

    /**
     * An HTTPS entrypoint when {@code sni} is set: TLS is terminated first, with the certificate chosen by the
     * client's server name (SNI), then the same HTTP/1.1 pipeline runs.
     *
     * @param sni server name to TLS context, consulted on every handshake; null for plain HTTP
     */
    public EntrypointServer(EntrypointSettings settings, ActiveSnapshot<CompiledSnapshot> active,
            MeterRegistry registry, int workerThreads, boolean accessLog, Mapping<String, SslContext> sni) {
        this(settings, active, registry, workerThreads, accessLog, sni, null, 0);
    }

    /**
     * An entrypoint that also speaks HTTP/2 when {@code http2} is set: with prior knowledge or {@code Upgrade: h2c}
     * in cleartext, by ALPN over TLS (the SNI contexts must then offer {@code h2}).
     *
     * @param http2 HTTP/2 connection limits; null for HTTP/1.1 only
     */
    public EntrypointServer(EntrypointSettings settings, ActiveSnapshot<CompiledSnapshot> active,
            MeterRegistry registry, int workerThreads, boolean accessLog, Mapping<String, SslContext> sni,
            Http2Limits http2) {
        this(settings, active, registry, workerThreads, accessLog, sni, http2, 0);
    }

    /**
     * As above; with {@code redirectToHttpsPort} above 0 a plain HTTP entrypoint redirects every request to HTTPS
     * on that port instead of proxying it (see {@link HttpsRedirectHandler}).
     */
    public EntrypointServer(EntrypointSettings settings, ActiveSnapshot<CompiledSnapshot> active,
            MeterRegistry registry, int workerThreads, boolean accessLog, Mapping<String, SslContext> sni,
            Http2Limits http2, int redirectToHttpsPort) {
        this.redirectToHttpsPort = redirectToHttpsPort;
        this.sni = sni;
        this.settings = settings;
        this.active = active;
        this.tracker = new ConnectionTracker(settings.maxConnections());
        this.forwarding = new ForwardingHeaders(new TrustedProxies(settings.trustedProxies()));
        this.paths = new PathNormalizer(settings.rejectEncodedSlash());
        this.recorder = new ExchangeRecorder(registry, accessLog);
        this.byteCounter = new ByteCounter(registry, settings.name());
        this.http2 = http2 == null ? null : new Http2Connections(http2,
                settings.maxHeaderSize() + 32L * settings.maxHeaderCount(), this::addStreamExchange);
        boolean epoll = Epoll.isAvailable();
        this.bossGroup = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.workerGroup = new MultiThreadIoEventLoopGroup(workerThreads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.serverChannelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.passthrough = sni == null ? null : new TlsPassthrough(settings.name(), this::passthroughRoutes, registry);
        Gauge.builder("sluice.connections.open", tracker, ConnectionTracker::openCount)
                .description("Open client connections").tag("entrypoint", settings.name()).register(registry);
    }

    /** Binds and returns the bound port. */
    public int start() throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(serverChannelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        buildPipeline(ch.pipeline());
                    }
                });
        serverChannel = bootstrap.bind(settings.bindAddress(), settings.port()).sync().channel();
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    private void buildPipeline(ChannelPipeline pipeline) {
        ClientTrafficWatch watch = new ClientTrafficWatch(byteCounter, settings.headerReadTimeout().toMillis(),
                settings.idleTimeout().toMillis());
        pipeline.addLast(WATCH, watch);
        addConnectionLimit(pipeline);
        addTls(pipeline);
        addHttp2Detection(pipeline);
        addHttpCodec(pipeline);
        addH2cUpgrade(pipeline);
        addProxy(pipeline, watch, true);
    }

    /** HTTP/2 by ALPN after TLS, or by the prior-knowledge preface in cleartext. */
    private void addHttp2Detection(ChannelPipeline pipeline) {
        if (http2 != null) {
            pipeline.addLast(sni != null ? Http2Connections.ALPN : Http2Connections.PREFACE,
                    sni != null ? new AlpnProtocolSwitch(http2) : new Http2PrefaceDetector(http2));
        }
    }

    /** {@code Upgrade: h2c} on the first request of a cleartext connection (never over TLS, RFC 7540). */
    private void addH2cUpgrade(ChannelPipeline pipeline) {
        if (http2 != null && sni == null) {
            pipeline.addLast(Http2Connections.UPGRADE, http2.h2cUpgrade(MAX_H2C_UPGRADE_BODY));
        }
    }

    private void addTls(ChannelPipeline pipeline) {
        if (sni != null) {
            pipeline.addLast(TlsPassthrough.SNI_ROUTER, passthrough.newSniRouter(TLS, () -> new SniHandler(sni)));
        }
    }

    private PassthroughRoutes passthroughRoutes() {
        ActiveSnapshot.Applied<CompiledSnapshot> now = active.current();
        return now == null ? PassthroughRoutes.NONE : now.compiled().passthrough();
    }

    private void addConnectionLimit(ChannelPipeline pipeline) {
        pipeline.addLast(TRACKER, tracker);
    }

    private void addHttpCodec(ChannelPipeline pipeline) {
        pipeline.addLast(CODEC, new StrictHttpServerCodec(settings.maxInitialLineLength(), settings.maxHeaderSize(),
                requestHeaderNames));
    }

    /** @param wholeResponses see {@link ProxyHandler}: HTTP/1.1 connections only (HTTP/2 streams frame their own) */
    private void addProxy(ChannelPipeline pipeline, RequestHeadTimer headTimer, boolean wholeResponses) {
        if (redirectToHttpsPort > 0) {
            pipeline.addLast(HTTPS_REDIRECT, new HttpsRedirectHandler(redirectToHttpsPort));
        }
        pipeline.addLast(PROXY, newProxyHandler(headTimer, wholeResponses));
    }

    /** An HTTP/2 stream's handlers after its frame codec: the same exchange as HTTP/1.1, without a head deadline. */
    private void addStreamExchange(ChannelPipeline pipeline) {
        addProxy(pipeline, RequestHeadTimer.NONE, false);
    }

    /** One connection's exchange handler (HTTP/1.1), or one stream's (HTTP/2). */
    private ProxyHandler newProxyHandler(RequestHeadTimer headTimer, boolean wholeResponses) {
        return new ProxyHandler(settings, active, forwarding, paths, recorder, sni == null ? "http" : "https",
                headTimer, shaping, wholeResponses);
    }

    /** Closes the listening socket; open connections keep being served. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /**
     * Asks every open connection to finish: idle ones close now, busy ones after their current response (sent
     * with {@code Connection: close}). Completes when no connection is left.
     */
    public CompletableFuture<Void> drain() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        tracker.open().forEach(ch -> ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(
                ProxyHandler.DRAIN)));
        awaitEmpty(done);
        return done;
    }

    private void awaitEmpty(CompletableFuture<Void> done) {
        if (tracker.openCount() == 0) {
            done.complete(null);
        } else {
            workerGroup.schedule(() -> awaitEmpty(done), 50, TimeUnit.MILLISECONDS);
        }
    }

    public int openConnections() {
        return tracker.openCount();
    }

    @Override
    public void close() {
        stopAccepting();
        tracker.open().close().awaitUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
