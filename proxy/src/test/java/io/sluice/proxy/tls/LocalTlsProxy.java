package io.sluice.proxy.tls;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.sluice.proxy.NettyDataPlane;
import io.sluice.proxy.ProxyMain;
import io.sluice.proxy.config.ConfigException;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.config.ProxyConfigLoader;
import io.sluice.proxy.testing.TestSnapshots;
import io.sluice.snapshot.RoutingSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the {@code websecure} tests share: a proxy started the way {@code ProxyMain} runs it, with {@code web} and
 * {@code websecure} on free loopback ports (health and push on ephemeral ones, no drain delay, no access log), and
 * the plain HTTP backends a test puts behind it. A test holds one in an {@code @AutoClose} field; closing stops
 * the proxy and the backends.
 */
final class LocalTlsProxy implements AutoCloseable {
    private final int web = freePort();
    private final int websecure = freePort();
    private final List<HttpServer> backends = new ArrayList<>();
    private final List<ExecutorService> backendThreads = new ArrayList<>();
    private ProxyMain.Running running;

    int web() {
        return web;
    }

    int websecure() {
        return websecure;
    }

    ProxyMain.Running running() {
        return running;
    }

    /** A backend on 127.0.0.1 answering every request with {@code handler}, served by {@code threads} threads. */
    HttpServer backend(int threads, HttpHandler handler) throws IOException {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        backendThreads.add(executor);
        backend.setExecutor(executor);
        backend.createContext("/", handler);
        backend.start();
        backends.add(backend);
        return backend;
    }

    /** A backend answering 200 with a fixed body. */
    HttpServer backend(String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return backend(4, exchange -> {
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    /** The configuration {@link #start} uses: this fixture's ports and test-friendly settings, then {@code more}. */
    ProxyConfig config(String... more) throws ConfigException {
        List<String> flags = new ArrayList<>(List.of("--bind-address", "127.0.0.1",
                "--web-port", String.valueOf(web), "--websecure-port", String.valueOf(websecure),
                "--health-port", "0", "--push-port", "0", "--drain-delay", "0s", "--drain-timeout", "5s",
                "--access-log", "false"));
        flags.addAll(List.of(more));
        return new ProxyConfigLoader().load(flags.toArray(new String[0]));
    }

    /** Starts the proxy with {@link #config} and {@code more} flags. */
    ProxyMain.Running start(String... more) throws Exception {
        ProxyConfig config = config(more);
        running = ProxyMain.start(config, new NettyDataPlane(config));
        return running;
    }

    /** Starts the proxy serving {@code snapshot}, written to {@code dir} as its {@code --snapshot-file}. */
    ProxyMain.Running start(Path dir, RoutingSnapshot snapshot, String... more) throws Exception {
        Path file = Files.write(dir.resolve("snapshot.json"), TestSnapshots.json(snapshot));
        List<String> flags = new ArrayList<>(List.of("--snapshot-file", file.toString()));
        flags.addAll(List.of(more));
        return start(flags.toArray(new String[0]));
    }

    @Override
    public void close() {
        if (running != null) {
            running.shutdown().run();
        }
        backends.forEach(backend -> backend.stop(0));
        backendThreads.forEach(ExecutorService::shutdownNow);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
