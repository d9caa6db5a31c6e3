package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.apply.SnapshotRejectedException;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The head-only middlewares through the real proxy on 127.0.0.1: what the backend receives after a regex rewrite,
 * redirects and CORS preflights answered by the proxy without reaching the backend, security headers on the
 * response, and a snapshot asking for content sniffing refused.
 */
class HeadMiddlewaresIT {
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(
            new UpstreamEndpoints(UpstreamSettings.defaults()), UpstreamSettings.defaults(),
            new MiddlewareFactory(), new RouterCompiler());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger backendRequests = new AtomicInteger();
    private HttpServer backend;
    private EntrypointServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newFixedThreadPool(4));
        backend.createContext("/", exchange -> {
            backendRequests.incrementAndGet();
            byte[] body = (exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                    + " prefix=" + exchange.getRequestHeaders().getFirst("X-Forwarded-Prefix")
                    + " replaced=" + exchange.getRequestHeaders().getFirst("X-Replaced-Path"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Frame-Options", "ALLOWALL");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        backend.start();
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 1, false);
        port = server.start();
        install("plain-type", List.of());
    }

    @AfterEach
    void stop() {
        server.close();
        backend.stop(0);
    }

    private void install(String fileMiddleware, List<Middleware> extra) throws SnapshotRejectedException {
        SnapshotVersion version = new SnapshotVersion(1, 1 + extra.size());
        List<Middleware> middlewares = new java.util.ArrayList<>(List.of(
                new Middleware("strip", new MiddlewareSpec.StripPrefixRegex(List.of("/api/v[0-9]+"))),
                new Middleware("replace", new MiddlewareSpec.ReplacePathRegex("^/foo/(.*)", "/bar/$1")),
                new Middleware("replace-bad", new MiddlewareSpec.ReplacePathRegex("^/bad/(.*)", "/x?$1")),
                new Middleware("redirect", new MiddlewareSpec.RedirectRegex(
                        "^http://[^/]+/old/(.*)", "https://new.example.com/$1", true)),
                new Middleware("cors", new MiddlewareSpec.Headers(Map.of("X-To-Backend", "1"), Map.of(),
                        new MiddlewareSpec.Cors(List.of("https://app.example.com"), List.of(),
                                List.of("GET", "PUT"), List.of("X-Token"), List.of(), false, 300, false),
                        new MiddlewareSpec.SecurityHeaders(0, false, false, false, true, null, true, false, null,
                                "default-src 'self'", null, null, null, false, List.of(), List.of(), Map.of()))),
                new Middleware("plain-type", new MiddlewareSpec.ContentType(false))));
        middlewares.addAll(extra);
        RoutingSnapshot snapshot = new RoutingSnapshot(version,
                List.of(rule("strip", "PathPrefix(`/api`)", "strip"),
                        rule("replace", "PathPrefix(`/foo`)", "replace"),
                        rule("replace-bad", "PathPrefix(`/bad`)", "replace-bad"),
                        rule("redirect", "PathPrefix(`/old`)", "redirect"),
                        rule("cors", "PathPrefix(`/cors`)", "cors"),
                        rule("plain-type", "PathPrefix(`/file`)", fileMiddleware)),
                List.of(Service.LoadBalancer.of("svc",
                        List.of(Endpoint.ready("127.0.0.1", backend.getAddress().getPort())))),
                middlewares, List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
    }

    private static Router rule(String id, String rule, String middleware) {
        return new Router(id, List.of("web"), new RouteMatch.Rule(rule), 0, List.of(middleware), "svc", null);
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stripPrefixRegexAndReplacePathRegexRewriteWhatTheBackendSees() throws Exception {
        HttpResponse<String> stripped = send("GET", "/api/v2/users?x=1", "X-Forwarded-Prefix", "/spoofed");
        assertThat(stripped.statusCode()).isEqualTo(200);
        assertThat(stripped.body()).isEqualTo("GET /users prefix=/api/v2 replaced=null");

        HttpResponse<String> replaced = send("GET", "/foo/a/b");
        assertThat(replaced.body()).isEqualTo("GET /bar/a/b prefix=null replaced=/foo/a/b");
    }

    @Test
    void aRewriteThatWouldInjectAQueryIsRefusedBeforeTheBackend() throws Exception {
        int before = backendRequests.get();
        HttpResponse<String> refused = send("GET", "/bad/admin=1");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("bad path after rewrite");
        assertThat(backendRequests.get()).isEqualTo(before);
    }

    @Test
    void redirectRegexAnswersWithTheMethodDependentCode() throws Exception {
        HttpResponse<String> get = send("GET", "/old/page?q=1");
        assertThat(get.statusCode()).isEqualTo(301);
        assertThat(get.headers().firstValue("Location")).hasValue("https://new.example.com/page?q=1");
        assertThat(send("POST", "/old/form").statusCode()).isEqualTo(308);
        assertThat(backendRequests.get()).isZero();
    }

    @Test
    void corsPreflightIsAnsweredByTheProxyAndSimpleRequestsGetHeaders() throws Exception {
        HttpResponse<String> preflight = send("OPTIONS", "/cors/items", "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "PUT");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET,PUT");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("300");
        assertThat(backendRequests.get()).isZero();

        HttpResponse<String> simple = send("GET", "/cors/items", "Origin", "https://app.example.com");
        assertThat(simple.statusCode()).isEqualTo(200);
        assertThat(simple.body()).startsWith("GET /cors/items");
        assertThat(simple.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(simple.headers().firstValue("Vary")).hasValue("Origin");
        assertThat(simple.headers().allValues("X-Frame-Options")).containsExactly("DENY");
        assertThat(simple.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(simple.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'");

        HttpResponse<String> stranger = send("GET", "/cors/items", "Origin", "https://evil.example");
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(backendRequests.get()).isEqualTo(2);
    }

    @Test
    void contentTypeAddsNoTypeAndSniffingIsRefused() throws Exception {
        HttpResponse<String> file = send("GET", "/file/a.html");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).isEmpty();
        Middleware sniff = new Middleware("sniff", new MiddlewareSpec.ContentType(true));
        assertThatThrownBy(() -> install("sniff", List.of(sniff)))
                .isInstanceOf(SnapshotRejectedException.class).hasMessageContaining("never sniffs");
        assertThat(send("GET", "/file/a.html").statusCode()).isEqualTo(200);
    }
}
