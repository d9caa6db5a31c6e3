package io.sluice.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives every e2e class that asks for a {@link SluiceCluster} parameter the same one: two proxies and two
 * operator replicas, started once per test run (process start-up dominates the suite's time on a small machine)
 * and stopped when the run ends. Classes share it safely by using their own namespaces and host names; the
 * classes that kill processes run last ({@code @Order}, see {@code junit-platform.properties}).
 */
public final class SharedCluster implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SluiceCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SluiceCluster.class, key -> startCluster(), SluiceCluster.class);
    }

    private static SluiceCluster startCluster() {
        Path logs = Path.of("target", "e2e-logs",
                "cluster-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss"))).toAbsolutePath();
        ClusterTarget target = ClusterTarget.fromSystemProperties();
        long start = System.nanoTime();
        SluiceCluster cluster;
        try {
            cluster = SluiceCluster.start(logs, target, 2, 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            cluster.awaitStarted(Duration.ofSeconds(150));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        System.out.printf("e2e cluster: 2 operators ready and 2 proxies listening in %.2f s on %s, API server %s;"
                + " logs in %s%n", (System.nanoTime() - start) / 1e9, target.hostAddress(),
                target.kubeconfig().map(k -> "from " + k).orElse("mock"), logs);
        return cluster;
    }
}
