package io.sluice.proxy.entrypoint;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotValidator;
import io.sluice.snapshot.SnapshotVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A real entrypoint on 127.0.0.1 with snapshots installed directly, and a real HTTP client, for the *IT tests. */
final class ProxyFixture implements AutoCloseable {
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final DataPlaneCompiler compiler;
    private final EntrypointServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private long sequence;

    ProxyFixture() throws Exception {
        this(UpstreamSettings.defaults());
    }

    ProxyFixture(UpstreamSettings upstream) throws Exception {
        compiler = new DataPlaneCompiler(new UpstreamEndpoints(upstream), upstream, new MiddlewareFactory(),
                new RouterCompiler());
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 1, false);
        port = server.start();
    }

    int port() {
        return port;
    }

    static Router route(String id, String rule, String service, String... middlewares) {
        return new Router(id, List.of("web"), new RouteMatch.Rule(rule), 0, List.of(middlewares), service, null);
    }

    /** Validates, compiles and installs a snapshot; fails the test when it is refused. */
    void install(List<Router> routers, List<Service> services, List<Middleware> middlewares) throws Exception {
        RoutingSnapshot snapshot = new RoutingSnapshot(new SnapshotVersion(1, ++sequence), routers, services,
                middlewares, List.of());
        List<String> problems = new SnapshotValidator().validate(snapshot);
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.toString());
        }
        active.installIfNewer(new ActiveSnapshot.Applied<>(snapshot.version(), compiler.compile(snapshot)));
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        server.close();
    }
}
