package io.sluice.bench;

import io.sluice.proxy.router.CompiledRouter;
import io.sluice.proxy.router.RequestView;
import io.sluice.proxy.router.RouteEntry;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
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
 * How router lookup cost grows with the number of routers. Each router is a realistic
 * {@code Host(`svc-N.example.com`) && PathPrefix(`/api/vK`)} rule (three path versions per host), plus a few
 * hostless catch-alls; the hit request targets the last host, the miss a host nobody serves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouterMatchBenchmark {

    @Param({"10", "100", "1000", "10000"})
    public int routers;

    private CompiledRouter<String> router;
    private RequestView hit;
    private RequestView miss;

    @Setup
    public void compile() throws Exception {
        List<RouteEntry<String>> entries = new ArrayList<>();
        int hosts = Math.max(1, routers / 3);
        for (int i = 0; i < routers; i++) {
            String rule = "Host(`svc-" + (i % hosts) + ".example.com`) && PathPrefix(`/api/v" + (i / hosts) + "`)";
            entries.add(new RouteEntry<>(new Router("r" + i, List.of(), new RouteMatch.Rule(rule), 0, List.of(),
                    "svc", null), "r" + i));
        }
        entries.add(new RouteEntry<>(new Router("health", List.of(), new RouteMatch.Rule("Path(`/healthz`)"), 0,
                List.of(), "svc", null), "health"));
        entries.add(new RouteEntry<>(new Router("metrics", List.of("admin"),
                new RouteMatch.Rule("PathPrefix(`/metrics`)"), 0, List.of(), "svc", null), "metrics"));
        router = new RouterCompiler().compile(entries);
        hit = new Request("svc-" + (hosts - 1) + ".example.com", "/api/v0/users/42");
        miss = new Request("unknown.example.org", "/api/v0/users/42");
        if (router.match("web", hit) == null || router.match("web", miss) != null) {
            throw new IllegalStateException("benchmark requests do not behave as intended");
        }
    }

    @Benchmark
    public String matchHit() {
        return router.match("web", hit);
    }

    @Benchmark
    public String matchMiss() {
        return router.match("web", miss);
    }

    /** A fixed request. */
    private static final class Request implements RequestView {
        private final String host;
        private final String path;

        Request(String host, String path) {
            this.host = host;
            this.path = path;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public List<String> headers(String name) {
            return List.of();
        }

        @Override
        public List<String> queryParameters(String name) {
            return List.of();
        }

        @Override
        public InetAddress clientAddress() {
            return InetAddress.getLoopbackAddress();
        }
    }
}
