package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * basicAuth, ipAllowList and rateLimit through the real proxy on 127.0.0.1: a snapshot using them is accepted
 * and the answers a client gets (401/200, 403, 429 after the burst) come from the middlewares, not the backend.
 */
class SecurityMiddlewaresIT {
    // "secret", hashed by glibc crypt (bcrypt cost 4)
    private static final String BCRYPT = "$2b$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW";

    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(
            new UpstreamEndpoints(UpstreamSettings.defaults()), UpstreamSettings.defaults(),
            new MiddlewareFactory(), new RouterCompiler());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer backend;
    private EntrypointServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newFixedThreadPool(4));
        backend.createContext("/", exchange -> {
            byte[] body = ("user=" + exchange.getRequestHeaders().getFirst("X-Auth-User") + " authorization="
                    + exchange.getRequestHeaders().containsKey("Authorization")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        backend.start();
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 1, false);
        port = server.start();

        SnapshotVersion version = new SnapshotVersion(1, 1);
        RoutingSnapshot snapshot = new RoutingSnapshot(version,
                List.of(rule("private", "PathPrefix(`/private`)", "auth"),
                        rule("office", "PathPrefix(`/office`)", "office-only"),
                        rule("local", "PathPrefix(`/local`)", "loopback-only"),
                        rule("limited", "PathPrefix(`/limited`)", "three-per-minute")),
                List.of(Service.LoadBalancer.of("svc",
                        List.of(Endpoint.ready("127.0.0.1", backend.getAddress().getPort())))),
                List.of(new Middleware("auth", new MiddlewareSpec.BasicAuth(List.of("alice:" + BCRYPT), "team",
                                true, "X-Auth-User")),
                        new Middleware("office-only", new MiddlewareSpec.IpAllowList(List.of("10.0.0.0/8"), null)),
                        new Middleware("loopback-only", new MiddlewareSpec.IpAllowList(
                                List.of("10.0.0.0/8", "127.0.0.1", "::1"), null)),
                        new Middleware("three-per-minute", new MiddlewareSpec.RateLimit(1, 60_000, 3, null))),
                List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
    }

    @AfterEach
    void stop() {
        server.close();
        backend.stop(0);
    }

    private static Router rule(String id, String rule, String middleware) {
        return new Router(id, List.of("web"), new RouteMatch.Rule(rule), 0, List.of(middleware), "svc", null);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicAuthChallengesThenAdmitsWithTheUserUpstream() throws Exception {
        HttpResponse<String> anonymous = get("/private/a", "X-Auth-User", "admin");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"team\"");

        assertThat(get("/private/a", "Authorization", basic("alice", "wrong")).statusCode()).isEqualTo(401);

        for (int i = 0; i < 2; i++) { // the second one is served from the verification cache
            HttpResponse<String> ok = get("/private/a", "Authorization", basic("alice", "secret"),
                    "X-Auth-User", "admin");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("user=alice authorization=false");
        }
    }

    @Test
    void ipAllowListRefusesAddressesOutsideTheRange() throws Exception {
        HttpResponse<String> refused = get("/office", "X-Forwarded-For", "10.0.0.1");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(get("/local").statusCode()).isEqualTo(200);
    }

    @Test
    void rateLimitAnswers429AfterTheBurst() throws Exception {
        List<Integer> codes = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 5; i++) {
            last = get("/limited");
            codes.add(last.statusCode());
        }
        assertThat(codes).containsExactly(200, 200, 200, 429, 429);
        long retryAfter = Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
    }
}
