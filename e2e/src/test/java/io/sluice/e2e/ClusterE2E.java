package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system the way a cluster runs it: the real operator jar in cluster mode ({@code run}) and two real
 * proxy processes, against a Kubernetes API (the fabric8 mock server in CRUD mode, reached through a kubeconfig),
 * with the CRDs and the quickstart YAML applied as a user would. Proxies are registered the way the chart does it:
 * EndpointSlices of the admin Service pointing at their push ports.
 */
class ClusterE2E {
    private static final String TOKEN = "e2e-push-token-0123456789";

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final List<HttpServer> backends = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private KubernetesMockServer api;
    private KubernetesClient client;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        backends.forEach(b -> b.stop(0));
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.destroy();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process start(String name, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        processes.add(p);
        return p;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private int backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        server.createContext("/", exchange -> {
            byte[] body = (name + " " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Backend", name);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        backends.add(server);
        return server.getAddress().getPort();
    }

    private void apply(String yaml) {
        for (HasMetadata object : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .items()) {
            client.resource(object).create();
        }
    }

    private String backendOf(int proxyPort, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.headers().firstValue("X-Backend").orElse("-");
        } catch (Exception e) {
            return "error " + e;
        }
    }

    @Test
    void operatorAndTwoProxiesServeAppliedYamlAndReportProgrammed() throws Exception {
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init();
        client = api.createClient();
        try (Stream<Path> crds = Files.list(Path.of(System.getProperty("sluice.crds")))) {
            for (Path crd : crds.sorted().toList()) {
                apply(Files.readString(crd));
            }
        }
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN + "\n");

        // two proxies, registered like the chart's headless admin Service does
        int[] web = new int[2];
        apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: sluice-system}\n");
        client.resource(new ServiceBuilder().withNewMetadata().withName("sluice-proxy-admin")
                .withNamespace("sluice-system").endMetadata().withNewSpec().withClusterIP("None")
                .addNewPort().withName("push").withPort(9443).endPort().endSpec().build()).create();
        for (int i = 0; i < 2; i++) {
            web[i] = freePort();
            int push = freePort();
            start("proxy-" + i, Map.of(), java(), "-jar", System.getProperty("sluice.proxyJar"),
                    "--bind-address", "127.0.0.1", "--web-port", String.valueOf(web[i]),
                    "--websecure-port", String.valueOf(freePort()), "--health-port", String.valueOf(freePort()),
                    "--push-port", String.valueOf(push), "--push-token-file", token.toString(),
                    "--drain-delay", "0s", "--drain-timeout", "2s", "--access-log", "false");
            client.resource(new EndpointSliceBuilder().withNewMetadata().withName("sluice-proxy-admin-" + i)
                    .withNamespace("sluice-system").addToLabels("kubernetes.io/service-name", "sluice-proxy-admin")
                    .endMetadata().withAddressType("IPv4")
                    .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(false).endConditions()
                    .endEndpoint()
                    .addNewPort().withName("push").withPort(push).endPort().build()).create();
        }

        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: e2e, user: {token: e2e}}]
                contexts: [{name: e2e, context: {cluster: mock, user: e2e, namespace: sluice-system}}]
                current-context: e2e
                """.formatted(client.getMasterUrl().toString()));
        int operatorHealth = freePort();
        Process operator = start("operator", Map.of("KUBECONFIG", kubeconfig.toString()), java(), "-jar",
                System.getProperty("sluice.operatorJar"), "run",
                "--proxy-admin-service", "sluice-system/sluice-proxy-admin", "--push-token-file", token.toString(),
                "--publish-address", "127.0.0.1", "--leader-election-namespace", "sluice-system",
                "--health-port", String.valueOf(operatorHealth));

        // the quickstart, as a user applies it, with its backends moved to this test's ports
        int whoami = backend("whoami");
        int apiBackend = backend("api");
        long applied = System.nanoTime();
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("sluice.examples"), "quickstart"))) {
            for (Path f : files.sorted().toList()) {
                apply(Files.readString(f).replace("9101", String.valueOf(whoami))
                        .replace("9102", String.valueOf(apiBackend)));
            }
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                backendOf(web[0], "/api/x").equals("200 api") && backendOf(web[1], "/api/x").equals("200 api"));
        double propagation = (System.nanoTime() - applied) / 1e9;
        System.out.printf("e2e propagation: quickstart applied -> both proxies serving it in %.2f s%n", propagation);
        assertThat(backendOf(web[0], "/hello")).isEqualTo("200 whoami");
        assertThat(backendOf(web[1], "/hello")).isEqualTo("200 whoami");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            GenericKubernetesResource route = client.genericKubernetesResources("sluice.io/v1alpha1", "IngressRoute")
                    .inNamespace("demo").withName("api").get();
            Condition programmed = conditions(route).stream().filter(c -> "Programmed".equals(c.getType()))
                    .findFirst().orElseThrow();
            assertThat(programmed.getStatus()).isEqualTo("True");
            assertThat(programmed.getObservedGeneration()).isEqualTo(route.getMetadata().getGeneration());
        });

        // an unauthenticated push is refused and changes nothing
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + client.discovery().v1().endpointSlices().inNamespace("sluice-system")
                        .withName("sluice-proxy-admin-0").get().getPorts().get(0).getPort() + "/snapshot"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);

        // scale the api Service up to a second endpoint and back down while requests keep flowing
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ConcurrentHashMap<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
        Thread stream = new Thread(() -> {
            while (running.get()) {
                seen.merge(backendOf(web[0], "/api/x"), 1, Integer::sum);
            }
        });
        stream.start();
        io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice slice = client.discovery().v1().endpointSlices()
                .inNamespace("demo").withName("api-1").get();
        slice.getEndpoints().add(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder()
                .withAddresses("127.0.0.2").withNewConditions().withReady(true).endConditions().build());
        client.discovery().v1().endpointSlices().inNamespace("demo").resource(slice).update();
        // the second endpoint listens on 127.0.0.2 at the same port: EndpointSlice ports are per slice
        HttpServer onSecondAddress = HttpServer.create(new InetSocketAddress("127.0.0.2", apiBackend), 32);
        onSecondAddress.createContext("/", exchange -> {
            byte[] body = "api-2".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Backend", "api-2");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        onSecondAddress.start();
        backends.add(onSecondAddress);
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsKey("200 api-2"));
        slice = client.discovery().v1().endpointSlices().inNamespace("demo").withName("api-1").get();
        slice.getEndpoints().removeIf(e -> e.getAddresses().contains("127.0.0.1"));
        client.discovery().v1().endpointSlices().inNamespace("demo").resource(slice).update();
        await().atMost(Duration.ofSeconds(30)).until(() -> backendOf(web[0], "/api/x").equals("200 api-2")
                && backendOf(web[0], "/api/x").equals("200 api-2") && backendOf(web[0], "/api/x").equals("200 api-2"));
        running.set(false);
        stream.join();
        System.out.println("e2e scale up/down under a request stream: " + seen);
        assertThat(seen.keySet()).as("every request answered by a backend").containsOnly("200 api", "200 api-2");

        // the operator dies; traffic keeps flowing on the last snapshot
        operator.destroyForcibly().waitFor();
        assertThat(backendOf(web[0], "/api/x")).isEqualTo("200 api-2");
        assertThat(backendOf(web[1], "/hello")).isEqualTo("200 whoami");
    }

    @SuppressWarnings("unchecked")
    private static List<Condition> conditions(GenericKubernetesResource resource) {
        Object status = resource.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> list)) {
            return List.of();
        }
        List<Condition> result = new ArrayList<>();
        for (Object o : list) {
            Map<String, Object> c = (Map<String, Object>) o;
            Condition condition = new Condition();
            condition.setType((String) c.get("type"));
            condition.setStatus((String) c.get("status"));
            Object generation = c.get("observedGeneration");
            condition.setObservedGeneration(generation == null ? null : ((Number) generation).longValue());
            result.add(condition);
        }
        return result;
    }
}
