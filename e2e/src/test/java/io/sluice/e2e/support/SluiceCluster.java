package io.sluice.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A whole Sluice installation on this machine, laid out the way the Helm chart does it in a cluster: the CRDs
 * and the {@code sluice} IngressClass applied to the API server; proxy processes registered through the
 * EndpointSlices of the headless admin Service {@code sluice-system/sluice-proxy-admin} (port {@code push});
 * operator replicas in cluster mode competing for the Lease; and echo backends published as Services with
 * EndpointSlices. The API server is the mock one or an existing cluster's ({@link ClusterTarget}); every local
 * listener binds, and every EndpointSlice names, the target's host address.
 */
public final class SluiceCluster implements AutoCloseable {
    public static final String SYSTEM_NAMESPACE = "sluice-system";
    public static final String ADMIN_SERVICE = "sluice-proxy-admin";
    public static final String LEASE = "sluice-operator";
    private static final String TOKEN = "e2e-push-token-0123456789";

    private final JavaProcesses processes;
    private final KubeApi api;
    private final String hostAddress;
    private final String secondHostAddress;
    private final EchoBackends backends = new EchoBackends();
    private final HttpGet http;
    private final List<ProxyProcess> proxies = new ArrayList<>();
    private final List<OperatorProcess> operators = new ArrayList<>();
    private final Path tokenFile;

    private SluiceCluster(JavaProcesses processes, KubeApi api, ClusterTarget target, Path tokenFile) {
        this.processes = processes;
        this.api = api;
        this.hostAddress = target.hostAddress();
        this.secondHostAddress = target.secondHostAddress();
        this.http = new HttpGet(hostAddress, 3000);
        this.tokenFile = tokenFile;
    }

    /**
     * Starts (or, on an existing cluster, connects to and cleans) the API server, applies the CRDs, starts
     * {@code proxyCount} proxies (not waiting for them), then {@code operatorCount} operator replicas. Logs go
     * to {@code logs}.
     */
    public static SluiceCluster start(Path logs, ClusterTarget target, int proxyCount, int operatorCount)
            throws IOException {
        Files.createDirectories(logs);
        KubeApi api = target.kubeconfig().isPresent() ? KubeApi.connect(target.kubeconfig().get())
                : KubeApi.start(logs, SYSTEM_NAMESPACE);
        if (api.existingCluster()) {
            try {
                prepareExistingCluster(api);
            } catch (RuntimeException e) {
                api.close();
                throw e;
            }
        }
        JavaProcesses processes = new JavaProcesses(logs);
        Path token = logs.resolve("push-token");
        Files.writeString(token, TOKEN + "\n");
        SluiceCluster cluster = new SluiceCluster(processes, api, target, token);
        try {
            cluster.install(proxyCount, operatorCount);
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Refuses a cluster where Sluice is installed (the suite would register its own proxies under the chart's
     * admin Service), and removes what an interrupted earlier run left behind.
     */
    private static void prepareExistingCluster(KubeApi api) {
        var system = api.client().namespaces().withName(SYSTEM_NAMESPACE).get();
        if (system != null && (system.getMetadata().getLabels() == null
                || !system.getMetadata().getLabels().containsKey(KubeApi.SUITE_LABEL))) {
            throw new IllegalStateException("namespace " + SYSTEM_NAMESPACE + " exists and the suite did not"
                    + " create it: run the suite on a cluster without Sluice installed (helm uninstall, delete the"
                    + " namespace)");
        }
        api.deleteSuiteObjects();
    }

    private void install(int proxyCount, int operatorCount) throws IOException {
        // the proxies need nothing from the API: they start first and warm up while the CRDs are applied
        Path proxyJar = Path.of(System.getProperty("sluice.proxyJar"));
        for (int i = 0; i < proxyCount; i++) {
            ProxyProcess proxy = new ProxyProcess("proxy-" + i, processes, proxyJar, tokenFile, hostAddress,
                    new ProxyProcess.Ports(freePort(), freePort(), freePort(), freePort()), http);
            proxy.start();
            proxies.add(proxy);
        }
        api.applyCrds(Path.of(System.getProperty("sluice.crds")));
        api.applyResource("cluster/sluice-ingressclass.yaml", Map.of("default", "false"));
        namespace(SYSTEM_NAMESPACE);
        api.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: %s}
                spec:
                  clusterIP: None
                  ports: [{name: push, port: 9443}]
                """.formatted(ADMIN_SERVICE, SYSTEM_NAMESPACE));
        for (int i = 0; i < proxies.size(); i++) {
            // a proxy is not ready before its first snapshot; the operator pushes to not-ready endpoints too
            api.apply("""
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata:
                      name: %s-%d
                      namespace: %s
                      labels: {kubernetes.io/service-name: %s}
                    addressType: IPv4
                    endpoints: [{addresses: ["%s"], conditions: {ready: false}}]
                    ports: [{name: push, port: %d}]
                    """.formatted(ADMIN_SERVICE, i, SYSTEM_NAMESPACE, ADMIN_SERVICE, hostAddress,
                    proxies.get(i).ports().push()));
        }
        Path operatorJar = Path.of(System.getProperty("sluice.operatorJar"));
        for (int i = 0; i < operatorCount; i++) {
            operators.add(OperatorProcess.start("operator-" + i, processes, operatorJar, api.kubeconfig(), tokenFile,
                    SYSTEM_NAMESPACE, ADMIN_SERVICE, hostAddress, freePort()));
        }
    }

    /**
     * Waits until every operator replica has synced its informers and every proxy's health port answers (the
     * proxies are not ready yet: they have no snapshot), so that what a test measures next is Sluice's own work,
     * not JVM start-up.
     */
    public SluiceCluster awaitStarted(Duration atMost) {
        await("operators ready, proxies listening").atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> operators.stream().allMatch(o -> o.readiness(http) == 200)
                        && proxies.stream().allMatch(p -> p.readiness() != 0));
        return this;
    }

    public KubeApi api() {
        return api;
    }

    /** The address every local listener binds and every EndpointSlice names (127.0.0.1 by default). */
    public String hostAddress() {
        return hostAddress;
    }

    /** Another address of this machine: a second endpoint of a Service at the same port (127.0.0.2 by default). */
    public String secondHostAddress() {
        return secondHostAddress;
    }

    public List<ProxyProcess> proxies() {
        return List.copyOf(proxies);
    }

    public ProxyProcess proxy(int index) {
        return proxies.get(index);
    }

    public List<OperatorProcess> operators() {
        return List.copyOf(operators);
    }

    /** The push port's bearer token (a test value), for tests that talk to the push port themselves. */
    public String pushToken() {
        return TOKEN;
    }

    /** The replica holding the Lease, by the {@code POD_NAME} prefix of its holder identity. */
    public Optional<OperatorProcess> leader() {
        Lease lease = api.client().leases().inNamespace(SYSTEM_NAMESPACE).withName(LEASE).get();
        if (lease == null || lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null) {
            return Optional.empty();
        }
        String holder = lease.getSpec().getHolderIdentity();
        return operators.stream().filter(o -> holder.startsWith(o.name() + "-")).findFirst();
    }

    public void namespace(String name) {
        api.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n");
    }

    /**
     * Starts an echo backend and publishes it as Service {@code namespace/name} (port {@code http}: 80) with one
     * ready endpoint on the host address; returns the backend's port.
     */
    public int backend(String namespace, String name) throws IOException {
        int port = backends.start(name, hostAddress, 0);
        publishBackend(namespace, name, port);
        return port;
    }

    /** Like {@link #backend(String, String)}, answering with the status {@code answer} picks. */
    public int backend(String namespace, String name, EchoBackends.Answer answer) throws IOException {
        int port = backends.start(name, hostAddress, 0, answer);
        publishBackend(namespace, name, port);
        return port;
    }

    /** Starts an echo backend without publishing it (an endpoint for a Service a test lays out itself). */
    public int startBackend(String name, EchoBackends.Answer answer) throws IOException {
        return backends.start(name, hostAddress, 0, answer);
    }

    /**
     * Publishes Service {@code namespace/name} with one ready endpoint on the host address per port, each in its own
     * EndpointSlice (slices carry one port list, and these pods listen on different ports).
     */
    public void publishBackends(String namespace, String name, int... ports) {
        publishBackend(namespace, name, ports[0]);
        for (int i = 1; i < ports.length; i++) {
            api.apply("""
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata:
                      name: %1$s-%4$d
                      namespace: %2$s
                      labels: {kubernetes.io/service-name: %1$s}
                    addressType: IPv4
                    endpoints: [{addresses: ["%5$s"], conditions: {ready: true}}]
                    ports: [{name: http, port: %3$d}]
                    """.formatted(name, namespace, ports[i], i + 1, hostAddress));
        }
    }

    /** Publishes Service {@code namespace/name} with one ready endpoint at the host address, {@code port}. */
    public void publishBackend(String namespace, String name, int port) {
        api.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  ports: [{name: http, port: 80, targetPort: %3$d}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %1$s-1
                  namespace: %2$s
                  labels: {kubernetes.io/service-name: %1$s}
                addressType: IPv4
                endpoints: [{addresses: ["%4$s"], conditions: {ready: true}}]
                ports: [{name: http, port: %3$d}]
                """.formatted(name, namespace, port, hostAddress));
    }

    /** Another echo backend named {@code name} on {@code address}:{@code port} (a second pod of a Service). */
    public void startBackendAt(String name, String address, int port) throws IOException {
        backends.start(name, address, port);
    }

    /** Waits until every proxy answers GET {@code host}{@code path} in a way {@code expected} accepts. */
    public void awaitEveryProxy(String host, String path, Duration atMost, Predicate<HttpReply> expected) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO)
                .until(() -> proxies.stream().allMatch(p -> expected.test(p.get(host, path))));
    }

    /** Waits until every proxy answers GET {@code host}{@code path} with this {@link HttpReply#summary()}. */
    public void awaitEveryProxy(String host, String path, String summary) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO)
                .untilAsserted(() -> assertThat(proxies.stream().map(p -> p.get(host, path).summary()).toList())
                        .as("every proxy on %s%s", host, path).containsOnly(summary));
    }

    /** A port nothing listens on (free a moment ago): an endpoint that refuses connections. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops every process and backend; on an existing cluster, deletes the namespaces and classes it created. */
    @Override
    public void close() {
        processes.close();
        backends.close();
        try {
            if (api.existingCluster()) {
                api.deleteSuiteObjects();
            }
        } finally {
            api.close();
        }
    }
}
