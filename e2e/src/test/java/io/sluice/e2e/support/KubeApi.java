package io.sluice.e2e.support;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Kubernetes API the operators talk to: the fabric8 mock server in CRUD mode, reached by the operator
 * processes through a kubeconfig file, and by the tests through {@link #apply} with YAML a user would write,
 * like {@code kubectl apply -f}.
 */
public final class KubeApi implements AutoCloseable {
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

    /** Creates each object of a (multi-document) YAML text, or updates it when it exists. */
    public void apply(String yaml) {
        for (HasMetadata object : load(yaml)) {
            client.resource(object).createOr(NonDeletingOperation::update);
        }
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
        server.destroy();
    }
}
