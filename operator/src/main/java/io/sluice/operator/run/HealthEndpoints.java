package io.sluice.operator.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operator's small HTTP port for the kubelet and Prometheus: {@code /live} (200 while the process runs),
 * {@code /ready} (200 once the informer caches have synced, 503 before) and {@code /metrics} (Prometheus text).
 * GET only; anything else is 404 or 405.
 */
public final class HealthEndpoints implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private HealthEndpoints(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static HealthEndpoints start(InetSocketAddress address, PrometheusMeterRegistry registry,
            BooleanSupplier ready) throws IOException {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(ready, "ready");
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sluice-health");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!"GET".equals(exchange.getRequestMethod())) {
                    respond(exchange, 405, "text/plain", "method not allowed\n");
                } else if (path.equals("/live")) {
                    respond(exchange, 200, "text/plain", "ok\n");
                } else if (path.equals("/ready")) {
                    boolean isReady = ready.getAsBoolean();
                    respond(exchange, isReady ? 200 : 503, "text/plain", isReady ? "ready\n" : "caches syncing\n");
                } else if (path.equals("/metrics")) {
                    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                } else {
                    respond(exchange, 404, "text/plain", "not found\n");
                }
            }
        });
        server.start();
        return new HealthEndpoints(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
