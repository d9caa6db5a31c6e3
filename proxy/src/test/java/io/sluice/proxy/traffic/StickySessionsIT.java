package io.sluice.proxy.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.entrypoint.EntrypointServer;
import io.sluice.proxy.entrypoint.EntrypointSettings;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Sticky;
import io.sluice.snapshot.Strategy;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cookie stickiness through the real proxy: real client, real Netty entrypoint, four real JDK backends. */
class StickySessionsIT {
    private static final Sticky STICKY = new Sticky("route_a", true, true, "lax", 3600, "/app");

    private final List<HttpServer> backends = new ArrayList<>();
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final DataPlaneCompiler compiler = new DataPlaneCompiler(
            new UpstreamEndpoints(UpstreamSettings.defaults()), UpstreamSettings.defaults(),
            new MiddlewareFactory(), new RouterCompiler());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SnapshotVersion version = new SnapshotVersion(1, 0);
    private EntrypointServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        for (int i = 0; i < 4; i++) {
            backends.add(backend("b" + i));
        }
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 2, false);
        port = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        backends.forEach(b -> b.stop(0));
    }

    private static HttpServer backend(String name) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return http;
    }

    private Service.LoadBalancer lb(String id, Sticky sticky, int... backendIndexes) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i : backendIndexes) {
            endpoints.add(Endpoint.ready("127.0.0.1", backends.get(i).getAddress().getPort()));
        }
        return new Service.LoadBalancer(id, endpoints, Scheme.HTTP, true, Strategy.WRR, sticky, null, null);
    }

    private void install(List<Service> services) throws Exception {
        version = version.next();
        RoutingSnapshot snapshot = new RoutingSnapshot(version, List.of(new Router("r", List.of("web"),
                new RouteMatch.Rule("PathPrefix(`/`)"), 0, List.of(), "svc", null)), services, List.of(), List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
    }

    private HttpResponse<String> get(String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/app/x"));
        if (cookie != null) {
            b.header("Cookie", "other=1; " + cookie);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code name=value} part of the response's sticky cookie, or null when it sets none. */
    private static String stickyCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElse(null);
    }

    @Test
    void aClientWithTheCookieStaysOnOneBackendWhileOthersAreSpread() throws Exception {
        install(List.of(lb("svc", STICKY, 0, 1, 2)));

        HttpResponse<String> first = get(null);
        String setCookie = first.headers().allValues("Set-Cookie").get(0);
        assertThat(setCookie).startsWith("route_a=").contains("Path=/app", "Max-Age=3600", "Secure", "HTTPOnly",
                "SameSite=Lax");
        String cookie = stickyCookie(first, "route_a");
        assertThat(cookie.substring("route_a=".length())).hasSize(16)
                .doesNotContain("127.0.0.1").doesNotContain(String.valueOf(backends.get(0).getAddress().getPort()));

        for (int i = 0; i < 100; i++) {
            HttpResponse<String> again = get(cookie);
            assertThat(again.body()).isEqualTo(first.body());
            assertThat(again.headers().allValues("Set-Cookie")).isEmpty();
        }
        Set<String> withoutCookie = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> fresh = get(null);
            assertThat(stickyCookie(fresh, "route_a")).isNotNull();
            withoutCookie.add(fresh.body());
        }
        assertThat(withoutCookie).hasSize(3);
    }

    @Test
    void stickinessSurvivesScalingWhileTheEndpointRemainsAndMovesWhenItGoes() throws Exception {
        install(List.of(lb("svc", STICKY, 0, 1)));
        HttpResponse<String> first = get(null);
        String cookie = stickyCookie(first, "route_a");
        int stuck = Integer.parseInt(first.body().substring(1));

        install(List.of(lb("svc", STICKY, 3, stuck, 2))); // scaled up, reordered: the sticky endpoint remains
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> again = get(cookie);
            assertThat(again.body()).isEqualTo("b" + stuck);
            assertThat(again.headers().allValues("Set-Cookie")).isEmpty();
        }

        install(List.of(lb("svc", STICKY, 2, 3))); // the sticky endpoint is gone
        HttpResponse<String> moved = get(cookie);
        assertThat(moved.body()).isIn("b2", "b3");
        String newCookie = stickyCookie(moved, "route_a");
        assertThat(newCookie).isNotNull().isNotEqualTo(cookie);
        for (int i = 0; i < 20; i++) {
            assertThat(get(newCookie).body()).isEqualTo(moved.body());
        }
    }

    @Test
    void weightedServiceCookiePicksTheChildService() throws Exception {
        Sticky outer = new Sticky("split", false, false, null, null);
        install(List.of(
                new Service.Weighted("svc", List.of(new Service.WeightedTarget("stable", 1),
                        new Service.WeightedTarget("canary", 1)), outer),
                lb("stable", null, 0, 1), lb("canary", null, 2)));

        HttpResponse<String> first = get(null);
        String cookie = stickyCookie(first, "split");
        assertThat(cookie).isNotNull();
        assertThat(first.headers().allValues("Set-Cookie").get(0)).isEqualTo(cookie + "; Path=/");
        boolean canary = first.body().equals("b2");
        for (int i = 0; i < 40; i++) {
            String body = get(cookie).body();
            assertThat(body.equals("b2")).isEqualTo(canary); // the child stays; its own endpoints still rotate
        }
    }
}
