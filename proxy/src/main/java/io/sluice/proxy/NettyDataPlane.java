package io.sluice.proxy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.apply.EndpointOnlyChange;
import io.sluice.proxy.apply.SnapshotRejectedException;
import io.sluice.proxy.apply.SnapshotCompiler;
import io.sluice.proxy.config.CidrBlock;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.entrypoint.EntrypointServer;
import io.sluice.proxy.entrypoint.EntrypointSettings;
import io.sluice.proxy.entrypoint.Http2Limits;
import io.sluice.proxy.lifecycle.Drainable;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.passthrough.PassthroughRoutes;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamGauges;
import io.sluice.proxy.health.HealthCheckers;
import io.sluice.proxy.health.HealthGauges;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.sluice.proxy.entrypoint.SnapshotSniMapping;
import io.sluice.proxy.tls.CertificateCompiler;
import io.sluice.proxy.tls.CompiledCertificate;
import io.sluice.proxy.tls.DefaultCertificateLoader;
import io.sluice.proxy.tls.SnapshotTlsCompiler;
import io.sluice.proxy.tls.TlsProvider;
import io.sluice.snapshot.RoutingSnapshot;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty data path as {@link ProxyMain} runs it: the snapshot compiler (router, middlewares, balancers over
 * pooled upstream endpoints, and the certificates), the {@code web} entrypoint and the {@code websecure} HTTPS
 * entrypoint (SNI; a generated self-signed default certificate for unknown names), configured from
 * {@link ProxyConfig}. Active health checks run on one daemon event loop of their own, off the request path.
 */
public final class NettyDataPlane implements ProxyMain.DataPlane<CompiledSnapshot> {
    /** Upstream response heads larger than this are a malformed response (502). */
    private static final int MAX_UPSTREAM_RESPONSE_HEADER = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(NettyDataPlane.class);

    private final ProxyConfig config;
    private final UpstreamEndpoints endpoints;
    private final HealthCheckers healthCheckers;
    private final DataPlaneCompiler routes;
    private final CertificateCompiler certificates;
    private final CompiledCertificate defaultCertificate;
    private final SnapshotTlsCompiler tls;

    public NettyDataPlane(ProxyConfig config) {
        this.config = config;
        ProxyConfig.UpstreamLimits u = config.upstream();
        UpstreamSettings upstream = new UpstreamSettings(u.connectTimeout(), u.responseHeaderTimeout(),
                u.idleTimeout(), u.maxConnectionsPerEndpoint(), MAX_UPSTREAM_RESPONSE_HEADER, u.maxQueuedPerEndpoint(),
                u.queueTimeout());
        this.endpoints = new UpstreamEndpoints(upstream);
        this.healthCheckers = new HealthCheckers(new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("sluice-health", true), NioIoHandler.newFactory()), NioSocketChannel.class);
        this.routes = new DataPlaneCompiler(endpoints, upstream, new MiddlewareFactory(), new RouterCompiler(),
                healthCheckers);
        // websecure speaks HTTP/2 and HTTP/1.1 after TLS; ALPN prefers h2
        TlsProvider provider = TlsProvider.named(config.tls().provider());
        this.certificates = new CertificateCompiler(provider, Clock.systemUTC(),
                List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
        this.defaultCertificate = new DefaultCertificateLoader(certificates).load(config.tls());
        this.tls = new SnapshotTlsCompiler(certificates, defaultCertificate, "websecure");
        LOG.info("TLS provider: {}; default certificate: {}", provider.providerName(), defaultCertificate.id());
        LOG.info("buffer allocator: {} (-Dio.netty.allocator.type)",
                io.netty.buffer.ByteBufAllocator.DEFAULT.getClass().getSimpleName());
    }

    /**
     * Compiles routes (all or nothing) and certificates. A broken certificate does not refuse the snapshot: its
     * hosts keep their previous certificate while it is valid, else get the default one, and the problem is
     * logged by certificate id (never its content).
     */
    @Override
    public SnapshotCompiler<CompiledSnapshot> compiler() {
        return new SnapshotCompiler<>() {
            @Override
            public CompiledSnapshot compile(RoutingSnapshot snapshot) throws SnapshotRejectedException {
                CompiledSnapshot compiled = routes.compile(snapshot);
                SnapshotTlsCompiler.Result result = tls.compile(snapshot);
                result.problems().forEach(p -> LOG.warn("snapshot {}: TLS: {}", snapshot.version(), p));
                return compiled.withCertificates(result.certificates())
                        .withPassthrough(PassthroughRoutes.compile(snapshot, config.upstream().connectTimeout()));
            }

            /**
             * Certificates and passthrough routes are unchanged by definition ({@link EndpointOnlyChange}): the
             * serving ones are kept.
             */
            @Override
            public CompiledSnapshot compileEndpointChange(CompiledSnapshot serving, EndpointOnlyChange change)
                    throws SnapshotRejectedException {
                CompiledSnapshot compiled = routes.compileEndpointChange(serving, change);
                return compiled == null ? null : compiled.withPassthrough(serving.passthrough());
            }
        };
    }

    @Override
    public List<Drainable> startEntrypoints(ProxyConfig ignored, ActiveSnapshot<CompiledSnapshot> active,
            MeterRegistry registry) throws Exception {
        new UpstreamGauges(registry, endpoints);
        new HealthGauges(registry, healthCheckers);
        Gauge.builder("sluice.tls.provider.info", () -> 1).description("TLS implementation of websecure")
                .tag("provider", certificates.provider().tag()).register(registry);
        boolean accessLog = config.client().accessLog();
        Http2Limits http2 = Http2Limits.defaults(config.client().h2MaxConcurrentStreams())
                .withGracefulClose(config.drain().timeout());
        EntrypointServer web = new EntrypointServer(entrypoint("web", config.listeners().webPort()), active,
                registry, config.client().eventLoopThreads(), accessLog, null, http2,
                config.tls().redirectToHttpsPort());
        web.start();
        EntrypointServer websecure = new EntrypointServer(entrypoint("websecure", config.listeners().websecurePort()),
                active, registry, config.client().eventLoopThreads(), accessLog,
                new SnapshotSniMapping(active, tls.initial()), http2);
        websecure.start();
        return List.of(web, websecure);
    }

    /** One entrypoint's settings from the client limits of the configuration. */
    private EntrypointSettings entrypoint(String name, int port) {
        ProxyConfig.ClientLimits c = config.client();
        return new EntrypointSettings(name, config.listeners().bindAddress().getHostAddress(), port,
                c.maxInitialLine(), c.maxHeaderSize(), c.maxHeaders(), c.headerReadTimeout(), c.idleTimeout(),
                c.maxConnections() <= 0 ? Integer.MAX_VALUE : c.maxConnections(),
                c.trustedProxies().stream().map(CidrBlock::toString).toList(), true);
    }
}
