package io.sluice.operator.standalone;

import io.sluice.operator.translate.Problem;
import io.sluice.operator.translate.Translation;
import io.sluice.operator.translate.TranslationOptions;
import io.sluice.operator.translate.Translator;
import io.sluice.proxy.ProxyMain;
import io.sluice.proxy.apply.ApplyResult;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * Standalone mode: the operator's translator and an in-process proxy over a directory of the same YAML a user
 * would {@code kubectl apply}. Reloads when a file changes. A file that cannot be read is reported (file, object,
 * field) and the last good configuration keeps serving; an object the translator rejects is reported and left
 * out while every other route serves, exactly as in a cluster.
 */
public final class StandaloneMode implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);

    private final ManifestDirectory directory;
    private final boolean echoBackends;
    private final ProxyConfig proxyConfig;
    private final ProxyMain.DataPlane<?> dataPlane;
    private final PrintStream out;
    private final Translator translator = new Translator();
    private final ClusterViewAssembler assembler = new ClusterViewAssembler();
    private final SnapshotCodec codec = new SnapshotCodec();
    private final EchoBackends backends = new EchoBackends();

    private ProxyMain.Running proxy;
    private ManifestWatcher watcher;
    private SnapshotVersion version = new SnapshotVersion(1, 0);
    private String lastHash;

    public StandaloneMode(Path directory, boolean echoBackends, ProxyConfig proxyConfig,
            ProxyMain.DataPlane<?> dataPlane, PrintStream out) {
        this.directory = new ManifestDirectory(directory, ClusterViewAssembler.serialization());
        this.echoBackends = echoBackends;
        this.proxyConfig = proxyConfig;
        this.dataPlane = dataPlane;
        this.out = out;
    }

    /** Starts the proxy, applies the directory once, and watches it. */
    public void start() throws Exception {
        proxy = ProxyMain.start(proxyConfig, dataPlane);
        ProxyConfig.Listeners ports = proxyConfig.listeners();
        out.printf("sluice standalone: serving %s on http://%s:%d (health and metrics on :%d)%n",
                directory.directory(), ports.bindAddress().getHostAddress(), ports.webPort(), proxy.healthPort());
        reload();
        watcher = new ManifestWatcher(directory, POLL, this::reloadQuietly);
        watcher.start();
    }

    private void reloadQuietly() {
        try {
            out.println("sluice standalone: change in " + directory.directory() + ", reloading");
            reload();
        } catch (IOException | InterruptedException | ExecutionException e) {
            out.println("sluice standalone: reload failed: " + e.getMessage());
        }
    }

    /** Reads, translates and applies the directory; returns what the proxy made of it (null if nothing sent). */
    synchronized ApplyResult reload() throws IOException, InterruptedException, ExecutionException {
        ManifestSet manifests = directory.load();
        if (!manifests.isClean()) {
            manifests.problems().forEach(p -> out.println("  error: " + p));
            out.println("sluice standalone: keeping the last good configuration"
                    + (lastHash == null ? " (none yet)" : " (version " + version + ")"));
            return null;
        }
        if (echoBackends) {
            for (EchoBackend b : backends.ensureStarted(manifests.objects())) {
                out.printf("  echo backend %s on 127.0.0.1:%d%n", b.name(), b.port());
            }
        }
        ClusterViewAssembler.Assembled assembled = assembler.assemble(manifests.objects(),
                TranslationOptions.DEFAULTS);
        assembled.ignored().forEach(o -> out.println("  ignored (not read by Sluice): " + o));
        Translation translation = translator.translate(assembled.view());
        for (Problem p : translation.problems()) {
            out.println("  problem: " + p.ref() + (p.field() == null ? "" : " field " + p.field()) + ": "
                    + p.message());
        }
        RoutingSnapshot candidate = translation.toSnapshot(version.next());
        String hash = codec.contentHash(candidate);
        if (hash.equals(lastHash)) {
            out.println("sluice standalone: nothing changed");
            return null;
        }
        ApplyResult result = proxy.applier().apply(codec.encode(candidate)).get();
        if (result.accepted()) {
            version = candidate.version();
            lastHash = hash;
            out.printf("sluice standalone: applied version %s, %d routers%n", version, candidate.routers().size());
            candidate.routers().forEach(r -> out.println("  route " + describe(r)));
        } else {
            out.println("sluice standalone: the proxy refused the configuration, keeping the last good one:");
            result.problems().forEach(p -> out.println("  error: " + p));
        }
        return result;
    }

    private static String describe(Router r) {
        String match = r.match() instanceof RouteMatch.Rule rule ? rule.expression()
                : describe((RouteMatch.IngressPath) r.match());
        return r.id() + ": " + match + " -> " + r.service()
                + (r.middlewares().isEmpty() ? "" : " via " + String.join(", ", r.middlewares()));
    }

    private static String describe(RouteMatch.IngressPath p) {
        return (p.host() == null ? "*" : p.host()) + p.path() + " (" + p.pathType().name().toLowerCase() + ")";
    }

    /** The proxy's health port (tests). */
    public int healthPort() {
        return proxy.healthPort();
    }

    /** Stops watching and drains the proxy. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (proxy != null) {
            proxy.shutdown().run();
        }
        backends.close();
    }
}
