package io.sluice.bench;

import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.apply.EndpointOnlyChange;
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
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotValidator;
import io.sluice.snapshot.SnapshotVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a pushed snapshot costs the proxy when only one service's endpoints changed (a Deployment scaled): the
 * full apply (decode, validate, content hash, compile everything), the endpoint-only apply (the same reading,
 * then rebuild only the changed balancer) and the floor any shortcut still pays with the full snapshot on the
 * wire (decode, validate, content hash). Each router has its own service (four
 * endpoints) and three middlewares: its own stripPrefix, a shared headers and a shared rateLimit; every tenth
 * router also has a replacePathRegex. Each operation applies the other of two snapshots that differ only in the
 * endpoints of one service, as the apply thread would see them alternate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EndpointApplyBenchmark {

    @Param({"100", "1000", "10000"})
    public int routers;

    private final SnapshotCodec codec = new SnapshotCodec();
    private final SnapshotValidator validator = new SnapshotValidator();
    private final byte[][] documents = new byte[2][];
    private DataPlaneCompiler compiler;
    private RoutingSnapshot servingSnapshot;
    private CompiledSnapshot serving;
    private int next;

    @Setup
    public void prepare() throws Exception {
        RoutingSnapshot base = snapshot(routers, 1, false);
        RoutingSnapshot scaled = snapshot(routers, 2, true);
        documents[0] = codec.encode(base);
        documents[1] = codec.encode(scaled);
        UpstreamSettings settings = UpstreamSettings.defaults();
        compiler = new DataPlaneCompiler(new UpstreamEndpoints(settings), settings, new MiddlewareFactory(),
                new RouterCompiler());
        servingSnapshot = base;
        serving = compiler.compile(base);
        next = 1;
    }

    /** Decode, validate, hash and compile the whole snapshot: what every push costs today. */
    @Benchmark
    public CompiledSnapshot fullApply() throws Exception {
        RoutingSnapshot snapshot = readNext();
        return compiler.compile(snapshot);
    }

    /**
     * Decode, validate and hash, find that only endpoints changed, and rebuild only the changed balancer and the
     * routes leading to it: what the proxy does now for such a push.
     */
    @Benchmark
    public CompiledSnapshot endpointApply() throws Exception {
        RoutingSnapshot snapshot = readNext();
        EndpointOnlyChange change = EndpointOnlyChange.between(servingSnapshot, snapshot)
                .orElseThrow(() -> new IllegalStateException("benchmark snapshots differ beyond endpoints"));
        if (change.services().size() != 1) {
            throw new IllegalStateException("benchmark snapshots should differ in one service");
        }
        serving = compiler.compileEndpointChange(serving, change);
        servingSnapshot = snapshot;
        return serving;
    }

    /** Decode, validate and hash only: the part no shortcut can skip while the wire carries whole snapshots. */
    @Benchmark
    public RoutingSnapshot decodeValidateHash() throws Exception {
        return readNext();
    }

    private RoutingSnapshot readNext() throws Exception {
        RoutingSnapshot snapshot = codec.decode(documents[next]);
        next ^= 1;
        if (!validator.validate(snapshot).isEmpty()) {
            throw new IllegalStateException("benchmark snapshot is invalid");
        }
        codec.contentHash(snapshot);
        return snapshot;
    }

    /** {@code routers} routers; with {@code scaled}, the middle service has a fifth endpoint. */
    static RoutingSnapshot snapshot(int routers, long sequence, boolean scaled) {
        List<Router> routerList = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<Middleware> middlewares = new ArrayList<>();
        middlewares.add(new Middleware("shared/headers", new MiddlewareSpec.Headers(
                Map.of("X-Env", "prod", "X-Team", "platform"), Map.of("X-Frame-Options", "DENY"), null, null)));
        middlewares.add(new Middleware("shared/ratelimit", new MiddlewareSpec.RateLimit(100, 1000, 200, null)));
        int hosts = Math.max(1, routers / 3);
        for (int i = 0; i < routers; i++) {
            String id = "ns" + (i % 50) + "/app" + i;
            List<String> chain = new ArrayList<>(List.of(id + "/strip", "shared/headers", "shared/ratelimit"));
            middlewares.add(new Middleware(id + "/strip",
                    new MiddlewareSpec.StripPrefix(List.of("/api/v" + (i / hosts)))));
            if (i % 10 == 0) {
                middlewares.add(new Middleware(id + "/rewrite",
                        new MiddlewareSpec.ReplacePathRegex("^/old/(.*)$", "/new/$1")));
                chain.add(id + "/rewrite");
            }
            routerList.add(new Router(id, List.of("web", "websecure"), new RouteMatch.Rule(
                    "Host(`svc-" + (i % hosts) + ".example.com`) && PathPrefix(`/api/v" + (i / hosts) + "`)"),
                    0, chain, id + "/svc", null));
            List<Endpoint> endpoints = new ArrayList<>();
            int count = scaled && i == routers / 2 ? 5 : 4;
            for (int e = 0; e < count; e++) {
                endpoints.add(Endpoint.ready("10." + (i / 250) + "." + (i % 250) + "." + (e + 1), 8080));
            }
            services.add(Service.LoadBalancer.of(id + "/svc", endpoints));
        }
        return new RoutingSnapshot(new SnapshotVersion(1, sequence), routerList, services, middlewares, List.of());
    }
}
