package io.sluice.proxy.passthrough;

import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.TcpService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the endpoint for each new passthrough connection of one TCP service: a backend (Service port) by smooth
 * weighted round robin over the backend weights, then the next of its endpoints in turn. Endpoints that are ready
 * are used; when a backend has none, those still serving while terminating. Endpoints and backends of weight 0 are
 * left out. Thread-safe: connections on every event loop share one instance per snapshot.
 */
final class WeightedBackends {
    private final List<Backend> backends;

    WeightedBackends(TcpService service) {
        List<Backend> usable = new ArrayList<>();
        for (TcpService.Backend backend : service.backends()) {
            List<Endpoint> endpoints = eligible(backend.endpoints());
            if (backend.weight() > 0 && !endpoints.isEmpty()) {
                usable.add(new Backend(backend.weight(), endpoints));
            }
        }
        this.backends = List.copyOf(usable);
    }

    private static List<Endpoint> eligible(List<Endpoint> all) {
        List<Endpoint> ready = all.stream().filter(e -> e.ready() && e.weight() > 0).toList();
        if (!ready.isEmpty()) {
            return ready;
        }
        return all.stream().filter(e -> e.serving() && e.terminating() && e.weight() > 0).toList();
    }

    /** The endpoint for the next connection, or null when the service has none. */
    Endpoint next() {
        if (backends.isEmpty()) {
            return null;
        }
        Backend chosen = backends.size() == 1 ? backends.get(0) : chooseByWeight();
        return chosen.endpoints.get(Math.floorMod(chosen.turn.getAndIncrement(), chosen.endpoints.size()));
    }

    /** Smooth weighted round robin (as nginx): spreads each backend's share evenly over the sequence. */
    private synchronized Backend chooseByWeight() {
        int total = 0;
        Backend best = null;
        for (Backend backend : backends) {
            backend.current += backend.weight;
            total += backend.weight;
            if (best == null || backend.current > best.current) {
                best = backend;
            }
        }
        best.current -= total;
        return best;
    }

    private static final class Backend {
        final int weight;
        final List<Endpoint> endpoints;
        final AtomicInteger turn = new AtomicInteger();
        /** Guarded by the enclosing instance. */
        int current;

        Backend(int weight, List<Endpoint> endpoints) {
            this.weight = weight;
            this.endpoints = endpoints;
        }
    }
}
