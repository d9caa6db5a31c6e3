package io.sluice.proxy.entrypoint;

import static io.sluice.proxy.entrypoint.ProxyFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.Service;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * forwardAuth through the real proxy: a real authentication server and backend on 127.0.0.1. Checks what the
 * auth server is asked, that its 2xx lets the request (and its body) through with the auth headers, that a client
 * cannot forge those headers, and that a refusal reaches the client as the auth server sent it.
 */
class ForwardAuthIT {
    private final ConcurrentLinkedQueue<Headers> authAsked = new ConcurrentLinkedQueue<>();
    private HttpServer auth;
    private HttpServer backend;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        auth = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        auth.setExecutor(Executors.newFixedThreadPool(4));
        auth.createContext("/verify", exchange -> {
            authAsked.add(exchange.getRequestHeaders());
            if ("Bearer good".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("X-Auth-User", "alice");
                exchange.getResponseHeaders().add("X-Auth-Role", "admin");
                exchange.getResponseHeaders().add("X-Internal-Secret", "never-copied");
                exchange.getResponseHeaders().add("Set-Cookie", "session=abc; Path=/");
                exchange.getResponseHeaders().add("Set-Cookie", "tracking=1");
                reply(exchange, 200, "");
            } else {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"app\"");
                exchange.getResponseHeaders().add("Set-Cookie", "attempt=1");
                exchange.getResponseHeaders().add("Set-Cookie", "csrf=2");
                reply(exchange, 401, "denied by auth");
            }
        });
        auth.start();
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newFixedThreadPool(4));
        backend.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Headers h = exchange.getRequestHeaders();
            reply(exchange, 200, "user=" + h.get("X-Auth-User") + " role=" + h.get("X-Auth-Role")
                    + " group=" + h.get("X-Auth-Group") + " secret=" + h.get("X-Internal-Secret")
                    + " body=" + body);
        });
        backend.start();
        proxy = new ProxyFixture();
        String verify = "http://127.0.0.1:" + auth.getAddress().getPort() + "/verify";
        proxy.install(List.of(route("app", "PathPrefix(`/app`)", "svc", "auth"),
                        route("named", "PathPrefix(`/named`)", "svc", "auth-by-name"),
                        route("only", "PathPrefix(`/only`)", "svc", "auth-some-headers"),
                        route("down", "PathPrefix(`/down`)", "svc", "auth-down")),
                List.of(Service.LoadBalancer.of("svc",
                        List.of(Endpoint.ready("127.0.0.1", backend.getAddress().getPort())))),
                List.of(new Middleware("auth", new MiddlewareSpec.ForwardAuth(verify, false,
                                List.of("X-Auth-User", "X-Auth-Role"), "^X-Auth-G", List.of(),
                                List.of("session"), false)),
                        new Middleware("auth-by-name", new MiddlewareSpec.ForwardAuth(
                                "http://localhost:" + auth.getAddress().getPort() + "/verify", false,
                                List.of("X-Auth-User"), null, List.of(), List.of(), false)),
                        new Middleware("auth-some-headers", new MiddlewareSpec.ForwardAuth(verify, false,
                                List.of("X-Auth-User"), null, List.of("Authorization"), List.of(), false)),
                        new Middleware("auth-down", new MiddlewareSpec.ForwardAuth(
                                "http://127.0.0.1:" + ScriptedBackend.refusingPort() + "/verify", false,
                                List.of(), null, List.of(), List.of(), false))));
    }

    @AfterEach
    void stop() {
        proxy.close();
        auth.stop(0);
        backend.stop(0);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void refusalGoesToTheClientAsTheAuthServerSentIt() throws Exception {
        HttpResponse<String> refused = proxy.get("/app/page", "Authorization", "Bearer bad", "X-Auth-User", "root");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("denied by auth");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"app\"");
        assertThat(refused.headers().allValues("Set-Cookie")).containsExactlyInAnyOrder("attempt=1", "csrf=2");
    }

    @Test
    void admittedRequestCarriesTheAuthHeadersAndNeverTheClientsForgedCopies() throws Exception {
        authAsked.clear();
        HttpResponse<String> ok = proxy.send(HttpRequest.newBuilder(proxy.uri("/app/orders?id=7"))
                .header("Authorization", "Bearer good")
                .header("X-Auth-User", "root")
                .header("X-Auth-Role", "superuser")
                .header("X-Auth-Group", "forged")
                .POST(HttpRequest.BodyPublishers.ofString("payload")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("user=[alice] role=[admin] group=null secret=null body=payload");
        assertThat(ok.headers().allValues("Set-Cookie")).containsExactly("session=abc; Path=/");

        Headers asked = authAsked.peek();
        assertThat(asked.getFirst("X-Forwarded-Method")).isEqualTo("POST");
        assertThat(asked.getFirst("X-Forwarded-Uri")).isEqualTo("/app/orders?id=7");
        assertThat(asked.getFirst("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(asked.getFirst("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + proxy.port());
        assertThat(asked.getFirst("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(asked.getFirst("X-Auth-Role")).isEqualTo("superuser"); // the original headers go to auth
        assertThat(asked.containsKey("Content-Length") ? asked.getFirst("Content-Length") : "0").isEqualTo("0");
    }

    @Test
    void clientCannotChooseTheForwardedHeadersTheAuthServerSees() throws Exception {
        proxy.get("/app/x", "Authorization", "Bearer good", "X-Forwarded-Uri", "/public", "X-Forwarded-Method",
                "GET", "X-Forwarded-For", "10.0.0.1");
        Headers asked = authAsked.peek();
        assertThat(asked.getFirst("X-Forwarded-Uri")).isEqualTo("/app/x");
        assertThat(asked.get("X-Forwarded-For")).containsExactly("127.0.0.1");
    }

    @Test
    void authAddressIsResolvedByNameAndOnlyChosenHeadersAreSent() throws Exception {
        assertThat(proxy.get("/named", "Authorization", "Bearer good").body()).startsWith("user=[alice] role=null");

        authAsked.clear();
        HttpResponse<String> ok = proxy.get("/only", "Authorization", "Bearer good", "Cookie", "private=1");
        assertThat(ok.statusCode()).isEqualTo(200);
        Headers asked = authAsked.peek();
        assertThat(asked.containsKey("Cookie")).isFalse();
        assertThat(asked.getFirst("Authorization")).isEqualTo("Bearer good");
    }

    @Test
    void unreachableAuthServiceFailsClosed() throws Exception {
        HttpResponse<String> response = proxy.get("/down", "Authorization", "Bearer good");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("user=");
    }

    @Test
    void keepAliveConnectionServesManyAuthorizedAndRefusedRequests() throws Exception {
        Map<Integer, Long> codes = java.util.stream.IntStream.range(0, 40).parallel().mapToObj(i -> {
            try {
                return proxy.get("/app/" + i, "Authorization", i % 2 == 0 ? "Bearer good" : "Bearer bad")
                        .statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of(200, 20L, 401, 20L));
    }
}
