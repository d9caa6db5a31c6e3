package io.sluice.e2e.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One proxy pod: the real {@code sluice-proxy.jar} as its own process on fixed ports of the host address
 * (127.0.0.1 by default), so that it can be killed and started again at the same address, as a container restarts
 * inside its pod.
 */
public final class ProxyProcess {
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([0-9]+)\\.([0-9]+)\"");

    private final String name;
    private final JavaProcesses processes;
    private final Path jar;
    private final Path tokenFile;
    private final String bindAddress;
    private final Ports ports;
    private final HttpGet http;
    private Process process;

    /** The four listeners of one proxy. */
    public record Ports(int web, int websecure, int health, int push) {
    }

    ProxyProcess(String name, JavaProcesses processes, Path jar, Path tokenFile, String bindAddress, Ports ports,
            HttpGet http) {
        this.name = name;
        this.processes = processes;
        this.jar = jar;
        this.tokenFile = tokenFile;
        this.bindAddress = bindAddress;
        this.ports = ports;
        this.http = http;
    }

    public String name() {
        return name;
    }

    public Ports ports() {
        return ports;
    }

    public synchronized void start() throws IOException {
        process = processes.start(name, jar, Map.of(), List.of("--bind-address", bindAddress,
                "--web-port", String.valueOf(ports.web()), "--websecure-port", String.valueOf(ports.websecure()),
                "--health-port", String.valueOf(ports.health()), "--push-port", String.valueOf(ports.push()),
                "--push-token-file", tokenFile.toString(), "--drain-delay", "0s", "--drain-timeout", "2s",
                "--access-log", "false"));
    }

    /** SIGKILL, as when the container is OOM-killed: no drain, no goodbye. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** GET on the {@code web} entrypoint. */
    public HttpReply get(String host, String path) {
        return http.get(ports.web(), host, path);
    }

    public HttpReply get(String host, String path, Map<String, String> headers) {
        return http.get(ports.web(), host, path, headers);
    }

    /** Any method, with a body ({@code Content-Length} set when it is not empty) on the web entrypoint. */
    public HttpReply send(String method, String host, String path, Map<String, String> headers, byte[] body) {
        return http.send(ports.web(), method, host, path, headers, body);
    }

    /** {@code /ready} on the health port: 200, 503, or 0 while nothing listens. */
    public int readiness() {
        return http.get(ports.health(), "127.0.0.1", "/ready").status();
    }

    /** The {@code epoch.sequence} of the snapshot serving, from {@code /debug/snapshot}; null before the first. */
    public SnapshotVersion snapshotVersion() {
        HttpReply reply = http.get(ports.health(), "127.0.0.1", "/debug/snapshot");
        Matcher m = VERSION.matcher(reply.body());
        return reply.status() == 200 && m.find()
                ? new SnapshotVersion(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
    }

    /** A snapshot version as the proxy reports it. */
    public record SnapshotVersion(long epoch, long sequence) {
        @Override
        public String toString() {
            return epoch + "." + sequence;
        }
    }
}
