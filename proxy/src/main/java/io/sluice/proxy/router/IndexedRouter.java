package io.sluice.proxy.router;

import java.util.Map;

/**
 * The compiled routing table: one {@link HostIndex} per named entrypoint, plus one for entrypoints no router
 * names (holding only the routers that listen everywhere). A match is a map probe for the entrypoint, one or
 * two for the host, then a scan of a short bucket in priority order; it allocates nothing itself.
 */
final class IndexedRouter<T> implements CompiledRouter<T> {
    private final Map<String, HostIndex<T>> byEntryPoint;
    private final HostIndex<T> otherEntryPoints;

    IndexedRouter(Map<String, HostIndex<T>> byEntryPoint, HostIndex<T> otherEntryPoints) {
        this.byEntryPoint = Map.copyOf(byEntryPoint);
        this.otherEntryPoints = otherEntryPoints;
    }

    @Override
    public T match(String entryPoint, RequestView request) {
        HostIndex<T> index = byEntryPoint.get(entryPoint);
        if (index == null) {
            index = otherEntryPoints;
        }
        for (RouteCandidate<T> candidate : index.candidates(request.host())) {
            if (candidate.matcher().matches(request)) {
                return candidate.payload();
            }
        }
        return null;
    }
}
