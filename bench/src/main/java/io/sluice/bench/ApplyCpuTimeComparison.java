package io.sluice.bench;

import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.apply.EndpointOnlyChange;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotValidator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The same comparison as {@link EndpointApplyBenchmark}, measured as the apply thread's CPU time rather than wall
 * time, with full and endpoint-only applies interleaved operation by operation. On a machine shared with other
 * heavy work, wall-clock JMH numbers mostly measure the scheduler; CPU time of interleaved operations gives
 * ratios that the other load shifts far less. Run: {@code java -cp sluice-bench.jar
 * io.sluice.bench.ApplyCpuTimeComparison [rounds]}.
 */
public final class ApplyCpuTimeComparison {
    private final SnapshotCodec codec = new SnapshotCodec();
    private final SnapshotValidator validator = new SnapshotValidator();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        ApplyCpuTimeComparison comparison = new ApplyCpuTimeComparison();
        System.out.println("routers  floor(ms)  endpoints(ms)  full(ms)  full/endpoints  (median CPU ms per apply)");
        for (int routers : new int[] {100, 1000, 10000}) {
            comparison.run(routers, Math.max(5, rounds * 100 / Math.max(100, routers / 10)));
        }
    }

    private void run(int routers, int rounds) throws Exception {
        byte[][] documents = {codec.encode(EndpointApplyBenchmark.snapshot(routers, 1, false)),
                codec.encode(EndpointApplyBenchmark.snapshot(routers, 2, true))};
        UpstreamSettings settings = UpstreamSettings.defaults();
        DataPlaneCompiler full = new DataPlaneCompiler(new UpstreamEndpoints(settings), settings,
                new MiddlewareFactory(), new RouterCompiler());
        DataPlaneCompiler shortcut = new DataPlaneCompiler(new UpstreamEndpoints(settings), settings,
                new MiddlewareFactory(), new RouterCompiler());
        RoutingSnapshot servingSnapshot = read(documents[0]);
        full.compile(servingSnapshot);
        CompiledSnapshot serving = shortcut.compile(servingSnapshot);
        int warmup = Math.max(3, rounds / 3);
        long[] floor = new long[rounds];
        long[] endpoints = new long[rounds];
        long[] whole = new long[rounds];
        for (int i = -warmup; i < rounds; i++) {
            byte[] document = documents[(i + warmup + 1) % 2];
            long start = cpu();
            read(document);
            long floorTime = cpu() - start;

            start = cpu();
            RoutingSnapshot next = read(document);
            CompiledSnapshot compiled = shortcut.compileEndpointChange(serving,
                    EndpointOnlyChange.between(servingSnapshot, next).orElseThrow());
            long endpointTime = cpu() - start;
            serving = compiled;
            servingSnapshot = next;

            start = cpu();
            full.compile(read(document));
            long fullTime = cpu() - start;
            if (i >= 0) {
                floor[i] = floorTime;
                endpoints[i] = endpointTime;
                whole[i] = fullTime;
            }
        }
        double f = median(floor);
        double e = median(endpoints);
        double w = median(whole);
        System.out.printf("%7d  %9.2f  %13.2f  %8.2f  %14.1f%n", routers, f, e, w, w / e);
    }

    private RoutingSnapshot read(byte[] document) throws Exception {
        RoutingSnapshot snapshot = codec.decode(document);
        if (!validator.validate(snapshot).isEmpty()) {
            throw new IllegalStateException("invalid benchmark snapshot");
        }
        codec.contentHash(snapshot);
        return snapshot;
    }

    private long cpu() {
        return threads.getCurrentThreadCpuTime();
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
