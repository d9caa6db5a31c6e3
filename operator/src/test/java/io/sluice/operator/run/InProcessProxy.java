package io.sluice.operator.run;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.proxy.ProxyMain;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.SnapshotCompiler;
import io.sluice.proxy.apply.SnapshotRejectedException;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.config.ProxyConfigLoader;
import io.sluice.proxy.lifecycle.Drainable;
import io.sluice.snapshot.RoutingSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The real proxy ({@link ProxyMain#start}: its push server, bearer token check, applier and version answers) on
 * 127.0.0.1, with a data plane that starts no traffic entrypoint and records each snapshot it applies. It can be
 * told to refuse every snapshot, as a proxy whose compiler finds a problem would (422).
 */
final class InProcessProxy implements AutoCloseable {
    private final List<RoutingSnapshot> applied = new ArrayList<>();
    private final ProxyMain.Running running;
    private volatile List<String> refuseWith;

    InProcessProxy(Path tokenFile) throws Exception {
        String[] args = {"--bind-address", "127.0.0.1", "--health-port", "0", "--push-port", "0",
            "--push-token-file", tokenFile.toString(), "--drain-delay", "0s", "--drain-timeout", "1s"};
        ProxyConfig config = new ProxyConfigLoader().load(args);
        running = ProxyMain.start(config, new ProxyMain.DataPlane<RoutingSnapshot>() {
            @Override
            public SnapshotCompiler<RoutingSnapshot> compiler() {
                return snapshot -> {
                    List<String> problems = refuseWith;
                    if (problems != null) {
                        throw new SnapshotRejectedException(problems);
                    }
                    synchronized (applied) {
                        applied.add(snapshot);
                    }
                    return snapshot;
                };
            }

            @Override
            public List<Drainable> startEntrypoints(ProxyConfig c, ActiveSnapshot<RoutingSnapshot> active,
                    MeterRegistry registry) {
                return List.of();
            }
        });
    }

    int pushPort() {
        return running.pushPort();
    }

    void refuseWith(List<String> problems) {
        refuseWith = List.copyOf(problems);
    }

    List<RoutingSnapshot> applied() {
        synchronized (applied) {
            return new ArrayList<>(applied);
        }
    }

    /** The snapshot this proxy applied last, if any. */
    Optional<RoutingSnapshot> lastApplied() {
        synchronized (applied) {
            return applied.isEmpty() ? Optional.empty() : Optional.of(applied.get(applied.size() - 1));
        }
    }

    @Override
    public void close() {
        running.shutdown().run();
    }
}
