package io.sluice.proxy.testing;

import io.sluice.proxy.apply.SnapshotCompiler;
import io.sluice.proxy.apply.SnapshotRejectedException;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshots for the control-side tests, and a small compiler for them: the data path's compiler lives on another
 * branch, so these tests compile a snapshot to its list of router ids and refuse rules containing {@code BAD}.
 */
public final class TestSnapshots {
    private static final SnapshotCodec CODEC = new SnapshotCodec();

    private TestSnapshots() {
    }

    /** A valid snapshot whose one router sends {@code Host(`<host>`)} to one endpoint. */
    public static RoutingSnapshot withHost(long epoch, long sequence, String host) {
        return withRule(epoch, sequence, "Host(`" + host + "`)");
    }

    public static RoutingSnapshot withRule(long epoch, long sequence, String rule) {
        return new RoutingSnapshot(new SnapshotVersion(epoch, sequence),
                List.of(new Router("r1", List.of("web"), new RouteMatch.Rule(rule), 0, List.of(), "s1", null)),
                List.of(Service.LoadBalancer.of("s1", List.of(Endpoint.ready("127.0.0.1", 8081)))),
                List.of(), List.of());
    }

    public static byte[] json(RoutingSnapshot snapshot) {
        return CODEC.encode(snapshot);
    }

    /** Compiles to the router ids; refuses, naming each, every router whose rule contains {@code BAD}. */
    public static SnapshotCompiler<List<String>> routerIdCompiler() {
        return snapshot -> {
            List<String> problems = new ArrayList<>();
            for (Router r : snapshot.routers()) {
                if (r.match() instanceof RouteMatch.Rule rule && rule.expression().contains("BAD")) {
                    problems.add("router " + r.id() + ": unparseable rule");
                }
            }
            if (!problems.isEmpty()) {
                throw new SnapshotRejectedException(problems);
            }
            return snapshot.routers().stream().map(Router::id).toList();
        };
    }
}
