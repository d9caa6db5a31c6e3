package io.sluice.proxy.router;

import java.util.List;

/**
 * A compiled router in a host bucket.
 *
 * @param rank        position in the global priority order (0 = tried first), so buckets merge in that order
 * @param entryPoints where the router listens; empty means everywhere
 */
record RouteCandidate<T>(int rank, String id, long priority, List<String> entryPoints, RequestMatcher matcher,
        HostConstraint hosts, T payload) {

    RouteCandidate<T> withRank(int newRank) {
        return new RouteCandidate<>(newRank, id, priority, entryPoints, matcher, hosts, payload);
    }

    boolean listensOn(String entryPoint) {
        return entryPoints.isEmpty() || entryPoints.contains(entryPoint);
    }
}
