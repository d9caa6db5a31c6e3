package io.sluice.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.proxy.NettyDataPlane;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.config.ProxyConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone mode as a newcomer uses it: the bundled quickstart directory, echo backends, real HTTP through the
 * in-process proxy; then edits to the files while it runs.
 */
class StandaloneModeIT {
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private StandaloneMode mode;
    private int webPort;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void start() throws Exception {
        Path quickstart = Path.of("..", "examples", "quickstart");
        try (Stream<Path> files = Files.list(quickstart)) {
            for (Path f : files.toList()) {
                // move the echo backends off the documented ports so the test never collides with a running demo
                String text = Files.readString(f).replace("9101", String.valueOf(freePort()))
                        .replace("9102", String.valueOf(freePort()));
                Files.writeString(dir.resolve(f.getFileName()), text);
            }
        }
        webPort = freePort();
        ProxyConfig config = new ProxyConfigLoader().load(new String[] {"--bind-address", "127.0.0.1",
            "--web-port", String.valueOf(webPort), "--websecure-port", "0", "--health-port", "0", "--push-port", "0",
            "--drain-delay", "0s", "--drain-timeout", "1s", "--access-log", "false"});
        mode = new StandaloneMode(dir, true, config, new NettyDataPlane(config),
                new PrintStream(output, true, StandardCharsets.UTF_8));
        mode.start();
    }

    @AfterEach
    void stop() {
        if (mode != null) {
            mode.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void servesTheQuickstartIngressAndIngressRouteWithItsMiddlewares() throws Exception {
        start();

        HttpResponse<String> root = get("/hello");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("X-Backend")).hasValue("whoami");
        assertThat(root.body()).contains("GET /hello HTTP/1.1", "X-forwarded-for: 127.0.0.1");

        HttpResponse<String> api = get("/api/users");
        assertThat(api.headers().firstValue("X-Backend")).hasValue("api");
        assertThat(api.body()).contains("GET /users HTTP/1.1", "X-served-by: sluice", "X-forwarded-prefix: /api");

        assertThat(printed()).contains("applied version 1.1, 2 routers", "echo backend whoami");
    }

    @Test
    void reloadsOnChangeAndKeepsTheLastGoodConfigurationWhenAFileBreaks() throws Exception {
        start();
        Path route = dir.resolve("30-ingressroute.yaml");
        Files.writeString(route, Files.readString(route).replace("PathPrefix(`/api`)", "PathPrefix(`/v2`)"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "api".equals(
                get("/v2/x").headers().firstValue("X-Backend").orElse("")));
        assertThat(get("/api/x").headers().firstValue("X-Backend")).hasValue("whoami");

        Files.writeString(route, Files.readString(route) + "\n---\napiVersion: v1\nkind: Service\n"
                + "metadata: {name: broken, namespace: demo}\nspec:\n  ports: [{port: \"eighty\"}]\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> printed().contains("keeping the last good configuration"));
        assertThat(printed()).contains("30-ingressroute.yaml", "Service demo/broken", "spec.ports[0].port");
        assertThat(get("/v2/x").headers().firstValue("X-Backend")).hasValue("api");
    }

    @Test
    void anInvalidObjectIsReportedAndEveryOtherRouteKeepsServing() throws Exception {
        start();
        Files.writeString(dir.resolve("40-bad.yaml"), """
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: bad-rule, namespace: demo}
                spec:
                  routes:
                    - match: PathPrefix(`/oops`
                      kind: Rule
                      services: [{name: api, port: http}]
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> printed().contains("bad-rule"));
        assertThat(printed()).contains("problem:");
        assertThat(get("/hello").statusCode()).isEqualTo(200);
        assertThat(get("/api/x").headers().firstValue("X-Backend")).hasValue("api");
    }
}
