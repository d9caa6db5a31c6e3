package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.proxy.config.ProxyConfigLoader;
import io.sluice.proxy.testing.TestSnapshots;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control side started from flags, as the process does, with the control-only data plane. */
class ProxyMainTest {
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startsFromFlagsServesTheStartupSnapshotAndShutsDown() throws Exception {
        com.sun.net.httpserver.HttpServer backend =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 16);
        backend.createContext("/", exchange -> {
            byte[] body = "hello from the backend".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        int webPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            webPort = free.getLocalPort();
        }
        io.sluice.snapshot.RoutingSnapshot withBackend = TestSnapshots.withRule(1, 7, "PathPrefix(`/`)");
        withBackend = new io.sluice.snapshot.RoutingSnapshot(withBackend.version(), withBackend.routers(),
                java.util.List.of(io.sluice.snapshot.Service.LoadBalancer.of("s1", java.util.List.of(
                        io.sluice.snapshot.Endpoint.ready("127.0.0.1", backend.getAddress().getPort())))),
                java.util.List.of(), java.util.List.of());
        Path snapshot = dir.resolve("snapshot.json");
        Files.write(snapshot, TestSnapshots.json(withBackend));
        Files.writeString(dir.resolve("token"), "main-token\n");
        String[] args = {"--bind-address", "127.0.0.1", "--health-port", "0", "--push-port", "0", "--websecure-port", "0",
            "--web-port", String.valueOf(webPort),
            "--snapshot-file", snapshot.toString(), "--push-token-file", dir.resolve("token").toString(),
            "--last-known-good", dir.resolve("lkg.json").toString(), "--drain-delay", "0s", "--drain-timeout", "3s"};

        io.sluice.proxy.config.ProxyConfig config = new ProxyConfigLoader().load(args);
        ProxyMain.Running running = ProxyMain.start(config, new NettyDataPlane(config));

        HttpResponse<String> proxied = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webPort + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(proxied.body()).isEqualTo("hello from the backend");
        backend.stop(0);
        assertThat(get(running.healthPort(), "/ready", null).statusCode()).isEqualTo(200);
        assertThat(get(running.healthPort(), "/debug/snapshot", null).body()).contains("\"version\":\"1.7\"",
                "PathPrefix(`/`)");
        assertThat(get(running.pushPort(), "/snapshot/version", "main-token").body())
                .isEqualTo("{\"version\":\"1.7\"}");
        assertThat(running.shutdown().run()).isTrue();
        assertThat(refuses(running.healthPort())).isTrue();
        assertThat(refuses(running.pushPort())).isTrue();
        assertThat(refuses(webPort)).isTrue();
    }

    private static boolean refuses(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
