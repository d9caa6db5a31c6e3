package io.sluice.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.sluice.proxy.NettyDataPlane;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.config.ProxyConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TraefikServices end to end in standalone mode: the YAML a user would apply, the real translator, the in-process
 * proxy and real HTTP backends on 127.0.0.1. A weighted 90/10 TraefikService splits 1000 requests by its weights and
 * its sticky cookie keeps a client on one side; a mirroring TraefikService copies requests to the mirror, except
 * those whose body is over {@code maxBodySize}.
 */
class TraefikServiceTrafficIT {
    private static final int REQUESTS = 1000;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<HttpServer> backends = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> shadowSaw = new ConcurrentLinkedQueue<>();
    private StandaloneMode mode;
    private int webPort;

    @BeforeEach
    void start() throws Exception {
        // the JDK server writes headers and body separately: without TCP_NODELAY each answer waits for a delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int stable = backend("stable", null);
        int canary = backend("canary", null);
        int shadow = backend("shadow", shadowSaw);
        StringBuilder yaml = new StringBuilder();
        for (Object[] service : new Object[][] {{"stable", stable}, {"canary", canary}, {"shadow", shadow}}) {
            yaml.append("""
                    apiVersion: v1
                    kind: Service
                    metadata: {name: %1$s, namespace: demo}
                    spec:
                      ports: [{name: http, port: 80}]
                    ---
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata:
                      name: %1$s-1
                      namespace: demo
                      labels: {kubernetes.io/service-name: %1$s}
                    addressType: IPv4
                    endpoints: [{addresses: ["127.0.0.1"]}]
                    ports: [{name: http, port: %2$d}]
                    ---
                    """.formatted(service[0], service[1]));
        }
        Files.writeString(dir.resolve("10-backends.yaml"), yaml.toString());
        Files.writeString(dir.resolve("20-traefikservices.yaml"), """
                apiVersion: sluice.io/v1alpha1
                kind: TraefikService
                metadata: {name: canary-split, namespace: demo}
                spec:
                  weighted:
                    services:
                    - {name: stable, port: 80, weight: 90}
                    - {name: canary, port: 80, weight: 10}
                    sticky:
                      cookie: {name: split}
                ---
                apiVersion: sluice.io/v1alpha1
                kind: TraefikService
                metadata: {name: shadowed, namespace: demo}
                spec:
                  mirroring:
                    name: stable
                    port: 80
                    maxBodySize: 1024
                    mirrors:
                    - {name: shadow, port: 80, percent: 100}
                ---
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: shop, namespace: demo}
                spec:
                  routes:
                  - match: PathPrefix(`/split`)
                    kind: Rule
                    services: [{name: canary-split, kind: TraefikService}]
                  - match: PathPrefix(`/mirrored`)
                    kind: Rule
                    services: [{name: shadowed, kind: TraefikService}]
                """);
        webPort = freePort();
        ProxyConfig config = new ProxyConfigLoader().load(new String[] {"--bind-address", "127.0.0.1",
            "--web-port", String.valueOf(webPort), "--health-port", "0", "--push-port", "0",
            "--drain-delay", "0s", "--drain-timeout", "1s", "--access-log", "false"});
        mode = new StandaloneMode(dir, false, config, new NettyDataPlane(config),
                new PrintStream(output, true, StandardCharsets.UTF_8));
        mode.start();
    }

    @AfterEach
    void stop() {
        if (mode != null) {
            mode.close();
        }
        backends.forEach(b -> b.stop(0));
    }

    @Test
    void weightedTraefikServiceSplitsByWeightAndItsCookieSticks() throws Exception {
        assertThat(output.toString(StandardCharsets.UTF_8)).doesNotContain("problem:");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/split/" + i)).build());
            assertThat(response.statusCode()).isEqualTo(200);
            counts.merge(response.body(), 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("stable", "canary");
        assertThat(counts.get("canary")).as("canary share of %d requests: %s", REQUESTS, counts).isBetween(80, 120);

        for (String side : List.of("stable", "canary")) {
            String cookie = null;
            while (cookie == null) {
                HttpResponse<String> first = send(HttpRequest.newBuilder(uri("/split/first")).build());
                if (first.body().equals(side)) {
                    cookie = first.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("split="))
                            .findFirst().orElseThrow().split(";")[0];
                }
            }
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> again = send(HttpRequest.newBuilder(uri("/split/again")).header("Cookie", cookie)
                        .build());
                assertThat(again.body()).as("request %d with %s", i, cookie).isEqualTo(side);
            }
        }
    }

    @Test
    void mirroringTraefikServiceCopiesRequestsToTheMirrorUpToMaxBodySize() throws Exception {
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/mirrored/" + i)).build());
            assertThat(response.body()).as("the client gets the main service's answer").isEqualTo("stable");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> shadowSaw.size() >= 20);
        for (int i = 0; i < 20; i++) {
            assertThat(shadowSaw).contains("GET /mirrored/" + i);
        }

        HttpResponse<String> big = send(HttpRequest.newBuilder(uri("/mirrored/big"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096))).build());
        assertThat(big.body()).isEqualTo("stable");
        HttpResponse<String> small = send(HttpRequest.newBuilder(uri("/mirrored/small"))
                .POST(HttpRequest.BodyPublishers.ofString("small body")).build());
        assertThat(small.body()).isEqualTo("stable");
        await().atMost(Duration.ofSeconds(10)).until(() -> shadowSaw.contains("POST /mirrored/small 10"));
        assertThat(shadowSaw).noneMatch(s -> s.startsWith("POST /mirrored/big"));
    }

    /** A backend that answers with its name (and records what it got, when asked to). */
    private int backend(String name, ConcurrentLinkedQueue<String> record) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (record != null) {
                record.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                        + (body.length > 0 ? " " + body.length : ""));
            }
            byte[] answer = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        backends.add(server);
        return server.getAddress().getPort();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + webPort + path);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
