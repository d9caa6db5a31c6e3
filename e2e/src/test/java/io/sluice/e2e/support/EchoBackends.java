package io.sluice.e2e.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * In-JVM HTTP backends standing in for the pods behind Services. Each answers every request with
 * {@code X-Backend: <name>} and a body that echoes what it received: {@code <name> <method> <uri>}, then one
 * {@code > name: value} line per request header, so a test can see what routing and middlewares did.
 */
public final class EchoBackends implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "echo-backend");
        t.setDaemon(true);
        return t;
    });

    /**
     * How a backend decides its status for one request, for tests that need a backend failing, slow or
     * authorizing: it may set response headers or wait; the body is the usual echo.
     */
    @FunctionalInterface
    public interface Answer {
        Answer OK = exchange -> 200;

        int status(HttpExchange exchange) throws IOException;
    }

    /** Starts a backend called {@code name} on {@code address} ({@code port} 0: any free port); returns its port. */
    public int start(String name, String address, int port) throws IOException {
        return start(name, address, port, Answer.OK);
    }

    /** Like {@link #start(String, String, int)}, answering with the status {@code answer} picks. */
    public synchronized int start(String name, String address, int port, Answer answer) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 64);
        server.createContext("/", exchange -> answer(name, answer, exchange));
        server.setExecutor(executor);
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    private static void answer(String name, Answer answer, HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            int status = answer.status(exchange);
            StringBuilder body = new StringBuilder(name).append(' ').append(exchange.getRequestMethod()).append(' ')
                    .append(exchange.getRequestURI()).append('\n');
            Map<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            sorted.putAll(exchange.getRequestHeaders());
            sorted.forEach((header, values) -> values.forEach(v ->
                    body.append("> ").append(header.toLowerCase(Locale.ROOT)).append(": ").append(v).append('\n')));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Backend", name);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public synchronized void close() {
        servers.forEach(s -> s.stop(0));
        executor.shutdownNow();
    }
}
