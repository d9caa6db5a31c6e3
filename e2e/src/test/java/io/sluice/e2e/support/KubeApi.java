package io.sluice.e2e.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The Kubernetes API the operators talk to: the fabric8 mock server in CRUD mode, or an existing cluster's API
 * server ({@link #connect}), reached by the operator processes through a kubeconfig file, and by the tests through
 * {@link #apply} with YAML a user would write, like {@code kubectl apply -f}.
 *
 * <p>Every Namespace and IngressClass applied through it carries the label {@value #SUITE_LABEL}, so that on an
 * existing cluster {@link #deleteSuiteObjects} removes what this run (or an interrupted earlier one) created, and
 * nothing else.
 */
public final class KubeApi implements AutoCloseable {
    /** Label on the cluster-scoped objects the suite creates. */
    public static final String SUITE_LABEL = "e2e.sluice.io/suite";
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(180);

    /** Null for an existing cluster. */
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Path kubeconfig;
    /** Held so that its level sticks: java.util.logging keeps loggers only weakly. */
    private final Logger requestLog;

    private KubeApi(KubernetesMockServer server, KubernetesClient client, Path kubeconfig, Logger requestLog) {
        this.server = server;
        this.client = client;
        this.kubeconfig = kubeconfig;
        this.requestLog = requestLog;
    }

    /** An existing cluster's API server, through its kubeconfig (the operator processes get the same file). */
    public static KubeApi connect(Path kubeconfig) throws IOException {
        Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        return new KubeApi(null, client, kubeconfig, null);
    }

    /** True when this is an existing cluster rather than the mock server. */
    public boolean existingCluster() {
        return server == null;
    }

    /** Starts the API server; writes a kubeconfig for it (default namespace {@code namespace}) into {@code dir}. */
    public static KubeApi start(Path dir, String namespace) throws IOException {
        Logger requestLog = Logger.getLogger(MockWebServer.class.getName()); // one INFO line per API request
        requestLog.setLevel(Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        KubernetesClient client = server.createClient();
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: e2e, user: {token: e2e}}]
                contexts: [{name: e2e, context: {cluster: mock, user: e2e, namespace: %s}}]
                current-context: e2e
                """.formatted(client.getMasterUrl(), namespace));
        return new KubeApi(server, client, kubeconfig, requestLog);
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /**
     * Creates each object of a (multi-document) YAML text, or updates it when it exists (with the stored
     * {@code resourceVersion}: a real API server refuses unconditional updates of custom resources).
     */
    public void apply(String yaml) {
        for (HasMetadata object : load(yaml)) {
            if (object instanceof Namespace || object instanceof IngressClass) {
                object.getMetadata().setLabels(withSuiteLabel(object.getMetadata().getLabels()));
            }
            createOrUpdate(object);
        }
    }

    private void createOrUpdate(HasMetadata object) {
        for (int attempt = 1; ; attempt++) {
            HasMetadata current = client.resource(object).get();
            try {
                if (current == null) {
                    client.resource(object).create();
                } else {
                    object.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
                    client.resource(object).update();
                }
                return;
            } catch (KubernetesClientException e) {
                // 409: created meanwhile, or its status was written between our read and our update
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static Map<String, String> withSuiteLabel(Map<String, String> labels) {
        Map<String, String> copy = labels == null ? new HashMap<>() : new HashMap<>(labels);
        copy.put(SUITE_LABEL, "true");
        return copy;
    }

    /**
     * Applies the CustomResourceDefinitions in {@code dir} (the repository's {@code crds/}: created where the
     * cluster lacks them, updated to this version where it has them); on an existing cluster, waits until each is
     * {@code Established}, before which its resources cannot be created.
     */
    public void applyCrds(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> crds = Files.list(dir)) {
            for (Path crd : crds.sorted().toList()) {
                for (HasMetadata object : load(Files.readString(crd))) {
                    createOrUpdate(object);
                    names.add(object.getMetadata().getName());
                }
            }
        }
        if (existingCluster()) {
            for (String name : names) {
                client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
                        crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                        60, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Deletes the Namespaces (with everything in them) and IngressClasses labelled {@value #SUITE_LABEL} and waits
     * until they are gone, so that a next run, or a {@code helm install} of Sluice, finds the cluster clean.
     */
    public void deleteSuiteObjects() {
        client.namespaces().withLabel(SUITE_LABEL).delete();
        client.network().v1().ingressClasses().withLabel(SUITE_LABEL).delete();
        await("namespaces and IngressClasses labelled " + SUITE_LABEL + " deleted").atMost(CLEANUP_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> client.namespaces().withLabel(SUITE_LABEL).list().getItems().isEmpty()
                        && client.network().v1().ingressClasses().withLabel(SUITE_LABEL).list().getItems().isEmpty());
    }

    /** Applies a test resource file, replacing each {@code ${key}} with its value first. */
    public void applyResource(String resource, Map<String, String> values) {
        apply(render(resource, values));
    }

    public void applyResource(String resource) {
        applyResource(resource, Map.of());
    }

    /** Deletes each object of a (multi-document) YAML text. */
    public void delete(String yaml) {
        for (HasMetadata object : load(yaml)) {
            client.resource(object).delete();
        }
    }

    /** Deletes the objects of a test resource file ({@code kubectl delete -f}). */
    public void deleteResource(String resource, Map<String, String> values) {
        delete(render(resource, values));
    }

    public GenericKubernetesResource get(String apiVersion, String kind, String namespace, String name) {
        return client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
    }

    /** The IngressRoute or Middleware {@code namespace/name} (group sluice.io). */
    public GenericKubernetesResource sluice(String kind, String namespace, String name) {
        return get("sluice.io/v1alpha1", kind, namespace, name);
    }

    static String render(String resource, Map<String, String> values) {
        String text;
        try (InputStream in = KubeApi.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("${" + value.getKey() + "}", value.getValue());
        }
        if (text.contains("${")) {
            throw new IllegalArgumentException(resource + " has a placeholder without a value");
        }
        return text;
    }

    private List<HasMetadata> load(String yaml) {
        return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }

    @Override
    public void close() {
        client.close();
        if (server != null) {
            server.destroy();
        }
    }
}
