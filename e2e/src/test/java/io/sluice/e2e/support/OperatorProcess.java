package io.sluice.e2e.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One operator replica: the real {@code sluice-operator.jar run} in cluster mode as its own process, reading the
 * mock API server through a kubeconfig and competing for the Lease under {@code POD_NAME=<name>}.
 */
public final class OperatorProcess {
    private final String name;
    private final Process process;

    private OperatorProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static OperatorProcess start(String name, JavaProcesses processes, Path jar, Path kubeconfig, Path tokenFile,
            String systemNamespace, String adminService, int healthPort) throws IOException {
        Process process = processes.start(name, jar, Map.of("KUBECONFIG", kubeconfig.toString(), "POD_NAME", name),
                List.of("run", "--proxy-admin-service", systemNamespace + "/" + adminService,
                        "--push-token-file", tokenFile.toString(), "--publish-address", "127.0.0.1",
                        "--leader-election-namespace", systemNamespace, "--health-port", String.valueOf(healthPort)));
        return new OperatorProcess(name, process);
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the Lease is not released, so another replica has to wait for it to expire. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
