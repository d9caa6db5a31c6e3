package io.sluice.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.apply.SnapshotCompiler;
import io.sluice.proxy.config.CidrBlock;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.entrypoint.EntrypointServer;
import io.sluice.proxy.entrypoint.EntrypointSettings;
import io.sluice.proxy.lifecycle.Drainable;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamGauges;
import io.sluice.proxy.upstream.UpstreamSettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Netty data path as {@link ProxyMain} runs it: the snapshot compiler (router, middlewares, balancers over
 * pooled upstream endpoints) and the {@code web} entrypoint, both configured from {@link ProxyConfig}.
 */
public final class NettyDataPlane implements ProxyMain.DataPlane<CompiledSnapshot> {
    /** Upstream response heads larger than this are a malformed response (502). */
    private static final int MAX_UPSTREAM_RESPONSE_HEADER = 64 * 1024;

    private final ProxyConfig config;
    private final UpstreamEndpoints endpoints;
    private final DataPlaneCompiler compiler;

    public NettyDataPlane(ProxyConfig config) {
        this.config = config;
        ProxyConfig.UpstreamLimits u = config.upstream();
        UpstreamSettings upstream = new UpstreamSettings(u.connectTimeout(), u.responseHeaderTimeout(),
                u.idleTimeout(), u.maxConnectionsPerEndpoint(), MAX_UPSTREAM_RESPONSE_HEADER);
        this.endpoints = new UpstreamEndpoints(upstream);
        this.compiler = new DataPlaneCompiler(endpoints, upstream, new MiddlewareFactory(),
                new RouterCompiler());
    }

    @Override
    public SnapshotCompiler<CompiledSnapshot> compiler() {
        return compiler;
    }

    @Override
    public List<Drainable> startEntrypoints(ProxyConfig ignored, ActiveSnapshot<CompiledSnapshot> active,
            MeterRegistry registry) throws Exception {
        new UpstreamGauges(registry, endpoints);
        ProxyConfig.ClientLimits c = config.client();
        EntrypointSettings web = new EntrypointSettings("web", config.listeners().bindAddress().getHostAddress(),
                config.listeners().webPort(), c.maxInitialLine(), c.maxHeaderSize(), c.maxHeaders(), c.headerReadTimeout(), c.idleTimeout(),
                c.maxConnections() <= 0 ? Integer.MAX_VALUE : c.maxConnections(),
                c.trustedProxies().stream().map(CidrBlock::toString).toList(), true);
        EntrypointServer server = new EntrypointServer(web, active, registry, 0, c.accessLog());
        server.start();
        return List.of(drainable(server));
    }

    private static Drainable drainable(EntrypointServer server) {
        return new Drainable() {
            @Override
            public void stopAccepting() {
                server.stopAccepting();
            }

            @Override
            public CompletableFuture<Void> drain() {
                return server.drain().whenComplete((v, e) -> server.close());
            }
        };
    }
}
