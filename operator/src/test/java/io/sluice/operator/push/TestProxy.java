package io.sluice.operator.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test peer speaking the proxy side of the push protocol on a real socket: decodes the snapshot with the real
 * codec, enforces the bearer token and the version order, and can be told to reject, to be slow, or to restart
 * with no snapshot.
 */
final class TestProxy implements AutoCloseable {
    private final SnapshotCodec codec = new SnapshotCodec();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer server;
    private final List<SnapshotVersion> received = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger versionReads = new AtomicInteger();
    private volatile String token;
    private volatile List<String> rejectWith;
    private volatile long delayMillis;
    private SnapshotVersion current;

    TestProxy(String token) throws IOException {
        this(token, 0);
    }

    /** Listens on 127.0.0.1:{@code port} (0 for any free port). */
    TestProxy(String token, int port) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(executor);
        server.createContext(ProxyPushClient.SNAPSHOT_PATH, this::putSnapshot);
        server.createContext(ProxyPushClient.VERSION_PATH, this::getVersion);
        server.start();
    }

    ProxyAddress address() {
        return new ProxyAddress("127.0.0.1", server.getAddress().getPort());
    }

    void requireToken(String newToken) {
        token = newToken;
    }

    void rejectWith(List<String> errors) {
        rejectWith = errors;
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    synchronized void hold(SnapshotVersion version) {
        current = version;
    }

    synchronized SnapshotVersion current() {
        return current;
    }

    synchronized List<SnapshotVersion> received() {
        return List.copyOf(received);
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    int versionReads() {
        return versionReads.get();
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        if (("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        respond(exchange, 401, "{\"errors\":[\"unauthorized\"]}");
        return false;
    }

    private void putSnapshot(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            if (!"PUT".equals(exchange.getRequestMethod()) || !ProxyPushClient.SNAPSHOT_PATH.equals(
                    exchange.getRequestURI().getPath())) {
                respond(exchange, 404, "{}");
                return;
            }
            if (!authorized(exchange)) {
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            SnapshotVersion version;
            try {
                version = codec.decode(body).version();
            } catch (SnapshotCodec.SnapshotDecodeException e) {
                respond(exchange, 422, "{\"errors\":[\"undecodable\"]}");
                return;
            }
            sleep();
            synchronized (this) {
                received.add(version);
            }
            List<String> errors = rejectWith;
            if (errors != null) {
                respond(exchange, 422, "{\"errors\":[" + quoted(errors) + "]}");
                return;
            }
            synchronized (this) {
                if (current != null && current.isNewerThan(version)) {
                    respond(exchange, 409, "{\"errors\":[\"version " + version + " is not newer than " + current
                            + "\"]}");
                    return;
                }
                current = version;
            }
            respond(exchange, 200, "{\"version\":\"" + version + "\"}");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void getVersion(HttpExchange exchange) throws IOException {
        try (exchange) {
            versionReads.incrementAndGet();
            if (!authorized(exchange)) {
                return;
            }
            SnapshotVersion version = current();
            if (version == null) {
                respond(exchange, 404, "{\"errors\":[\"no snapshot yet\"]}");
            } else {
                respond(exchange, 200, "{\"version\":\"" + version + "\"}");
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String quoted(List<String> errors) {
        StringBuilder out = new StringBuilder();
        for (String error : errors) {
            out.append(out.length() == 0 ? "" : ",").append('"').append(error).append('"');
        }
        return out.toString();
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
