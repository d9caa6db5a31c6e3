package io.sluice.e2e.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One operator replica: the real {@code sluice-operator.jar run} in cluster mode as its own process, reading the
 * API server through a kubeconfig and competing for the Lease under {@code POD_NAME=<name>}; the Ingresses it
 * serves get the host address as their load balancer address.
 */
public final class OperatorProcess {
    private final String name;
    private final Process process;
    private final int healthPort;

    private OperatorProcess(String name, Process process, int healthPort) {
        this.name = name;
        this.process = process;
        this.healthPort = healthPort;
    }

    static OperatorProcess start(String name, JavaProcesses processes, Path jar, Path kubeconfig, Path tokenFile,
            String systemNamespace, String adminService, String publishAddress, int healthPort) throws IOException {
        Process process = processes.start(name, jar, Map.of("KUBECONFIG", kubeconfig.toString(), "POD_NAME", name),
                List.of("run", "--proxy-admin-service", systemNamespace + "/" + adminService,
                        "--push-token-file", tokenFile.toString(), "--publish-address", publishAddress,
                        "--leader-election-namespace", systemNamespace, "--health-port", String.valueOf(healthPort)));
        return new OperatorProcess(name, process, healthPort);
    }

    public String name() {
        return name;
    }

    /** {@code /ready} on the health port: 200 once every informer has synced, 503 before, 0 while not listening. */
    public int readiness(HttpGet http) {
        return http.get(healthPort, "127.0.0.1", "/ready").status();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the Lease is not released, so another replica has to wait for it to expire. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
