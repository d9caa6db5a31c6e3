package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, as a user runs it: the real operator jar as its own process in standalone mode over
 * the bundled quickstart YAML, answering real HTTP; then SIGTERM, after which it must stop serving and exit.
 */
@Order(0) // before the shared cluster starts: no other JVM competes with this one's start-up
class QuickstartE2E {
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theOperatorJarServesTheQuickstartAndStopsOnSigterm() throws Exception {
        Path quickstart = Path.of(System.getProperty("sluice.examples"), "quickstart");
        try (Stream<Path> files = Files.list(quickstart)) {
            String whoami = String.valueOf(freePort());
            String api = String.valueOf(freePort());
            for (Path f : files.toList()) {
                Files.writeString(dir.resolve(f.getFileName()),
                        Files.readString(f).replace("9101", whoami).replace("9102", api));
            }
        }
        int web = freePort();
        int health = freePort();
        Path log = dir.resolve("operator.log");
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("sluice.operatorJar"), "standalone", dir.toString(), "--echo-backends",
                "--bind-address", "127.0.0.1", "--web-port", String.valueOf(web),
                "--health-port", String.valueOf(health), "--push-port", String.valueOf(freePort()),
                "--websecure-port", String.valueOf(freePort()), "--drain-delay", "0s", "--drain-timeout", "5s"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> get(health, "/ready").statusCode() == 200);

        HttpResponse<String> root = get(web, "/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("X-Backend")).hasValue("whoami");
        HttpResponse<String> api = get(web, "/api/orders");
        assertThat(api.headers().firstValue("X-Backend")).hasValue("api");
        assertThat(api.body()).contains("GET /orders HTTP/1.1", "X-served-by: sluice");
        assertThat(get(health, "/metrics").body()).contains("sluice_requests_total");
        assertThat(Files.readString(log)).contains("applied version 1.1, 2 routers");

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(refused(web)).isTrue();
    }

    private static boolean refused(int port) {
        try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
