package io.sluice.operator.standalone;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A demo backend for standalone mode: answers every request with a plain-text description of what it received
 * (its own name and address, the request line, the headers as the proxy forwarded them), so a newcomer running the
 * quickstart sees the routing, the middlewares and the forwarding headers at work with {@code curl}.
 */
public final class EchoBackend implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;

    public EchoBackend(String name, InetSocketAddress address) throws IOException {
        this.name = name;
        this.server = HttpServer.create(address, 64);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "echo-" + name);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::answer);
    }

    public EchoBackend start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            long received = body.transferTo(java.io.OutputStream.nullOutputStream());
            StringBuilder text = new StringBuilder()
                    .append("backend: ").append(name).append(" (").append(exchange.getLocalAddress()).append(")\n")
                    .append(exchange.getRequestMethod()).append(' ').append(exchange.getRequestURI()).append(' ')
                    .append(exchange.getProtocol()).append('\n');
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(exchange.getRequestHeaders());
            headers.forEach((k, values) -> values.forEach(v -> text.append(k).append(": ").append(v).append('\n')));
            if (received > 0) {
                text.append("(request body: ").append(received).append(" bytes)\n");
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("X-Backend", name);
            exchange.sendResponseHeaders(200, "HEAD".equals(exchange.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
