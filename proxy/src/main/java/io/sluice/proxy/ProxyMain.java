package io.sluice.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.sluice.proxy.admin.BearerTokenFile;
import io.sluice.proxy.admin.HealthServer;
import io.sluice.proxy.admin.PushServer;
import io.sluice.proxy.admin.PushTlsContext;
import io.sluice.proxy.admin.Readiness;
import io.sluice.proxy.admin.RouteSummary;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.ApplyResult;
import io.sluice.proxy.apply.LastKnownGoodFile;
import io.sluice.proxy.apply.SnapshotApplier;
import io.sluice.proxy.apply.SnapshotCompiler;
import io.sluice.proxy.config.ConfigException;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.config.ProxyConfigLoader;
import io.sluice.proxy.lifecycle.Drainable;
import io.sluice.proxy.lifecycle.ShutdownSequence;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy process's one wiring point: reads the configuration, starts the control side (applier, push and
 * health ports), applies the last-known-good and startup snapshots, starts the data plane's entrypoints and
 * installs the SIGTERM shutdown sequence.
 */
public final class ProxyMain {
    private static final Logger log = LoggerFactory.getLogger(ProxyMain.class);
    private static final Duration TOKEN_RELOAD_INTERVAL = Duration.ofSeconds(2);

    /**
     * The data path's part of the process: {@link NettyDataPlane} in production.
     *
     * @param <C> the compiled snapshot the entrypoints read
     */
    public interface DataPlane<C> {
        SnapshotCompiler<C> compiler();

        /** Starts the traffic entrypoints, reading routes from {@code active}; returned so they can be drained. */
        List<Drainable> startEntrypoints(ProxyConfig config, ActiveSnapshot<C> active, MeterRegistry registry)
                throws Exception;
    }

    /**
     * A started proxy: its ports, the sequence that stops it, and its applier (standalone mode applies snapshots
     * in-process through it instead of the push port).
     */
    public record Running(int healthPort, int pushPort, ShutdownSequence shutdown, SnapshotApplier<?> applier) {
    }

    private ProxyMain() {
    }

    public static void main(String[] args) {
        AllocatorDefault.apply(System.getProperties()); // before any Netty buffer class initializes
        LeakDetectionDefault.apply(System.getProperties());
        ProxyConfigLoader loader = new ProxyConfigLoader();
        if (loader.wantsHelp(args)) {
            System.out.print(loader.help());
            return;
        }
        ProxyConfig config;
        try {
            config = loader.load(args);
        } catch (ConfigException e) {
            System.err.println("sluice-proxy: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            start(config, new NettyDataPlane(config)).shutdown().installShutdownHook();
        } catch (Exception e) {
            log.error("proxy failed to start", e);
            System.exit(1);
        }
    }

    /** Starts everything {@code config} asks for; the caller installs or runs the returned shutdown sequence. */
    public static <C> Running start(ProxyConfig config, DataPlane<C> dataPlane) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ActiveSnapshot<C> active = new ActiveSnapshot<>();
        LastKnownGoodFile lastKnownGood = config.snapshotFiles().lastKnownGood() == null ? null
                : new LastKnownGoodFile(config.snapshotFiles().lastKnownGood());
        SnapshotApplier<C> applier = new SnapshotApplier<>(dataPlane.compiler(), active, registry, lastKnownGood);
        applier.loadLastKnownGood().get();
        if (config.snapshotFiles().startupSnapshot() != null) {
            ApplyResult result = applier.apply(Files.readAllBytes(config.snapshotFiles().startupSnapshot())).get();
            if (!result.accepted()) {
                throw new IllegalStateException("--snapshot-file " + config.snapshotFiles().startupSnapshot()
                        + " was refused: " + result.problems());
            }
        }

        EventLoopGroup adminLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Readiness readiness = new Readiness(() -> active.current() != null);
        ProxyConfig.Listeners ports = config.listeners();
        HealthServer health = new HealthServer(new InetSocketAddress(ports.bindAddress(), ports.healthPort()),
                adminLoop, readiness, registry, applier::servingVersion,
                () -> applier.appliedSnapshot().map(s -> s.routers().stream().map(RouteSummary::of).toList())
                        .orElse(List.of()));
        health.start();

        ProxyConfig.Push push = config.push();
        BearerTokenFile token = push.tokenFile() == null ? null
                : new BearerTokenFile(push.tokenFile(), TOKEN_RELOAD_INTERVAL);
        PushTlsContext tls = push.tls() ? new PushTlsContext(push.tlsCertificate(), push.tlsKey(), push.clientCa())
                : null;
        PushServer pushServer = new PushServer(new PushServer.Settings(
                new InetSocketAddress(ports.bindAddress(), ports.pushPort()), token, tls, push.maxBodyBytes()),
                adminLoop, applier);
        pushServer.start();

        List<Drainable> entrypoints = dataPlane.startEntrypoints(config, active, registry);
        List<Drainable> listeners = new ArrayList<>(entrypoints);
        listeners.add(pushServer);
        List<AutoCloseable> closeLast = new ArrayList<>(entrypoints);
        closeLast.add(pushServer);
        closeLast.add(health);
        if (token != null) {
            closeLast.add(token);
        }
        closeLast.add(applier);
        closeLast.add(() -> adminLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
        ShutdownSequence shutdown = new ShutdownSequence(readiness::beginShutdown, config.drain().delay(),
                listeners, config.drain().timeout(), closeLast);
        return new Running(health.port(), pushServer.port(), shutdown, applier);
    }
}
