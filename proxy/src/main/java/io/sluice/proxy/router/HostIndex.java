package io.sluice.proxy.router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routers of one entrypoint, indexed by host so a lookup costs one or two hash probes however many routers
 * there are. Each bucket already holds, in global priority order, every router that could take a request for
 * that host: the routers naming the host, those whose wildcard covers it, and those with no host constraint.
 * So scanning one bucket front to back gives exactly the answer of scanning all routers in priority order.
 */
final class HostIndex<T> {
    private final Map<String, RouteCandidate<T>[]> byLiteralHost;
    private final DomainTable<RouteCandidate<T>[]> byWildcardDomain;
    private final RouteCandidate<T>[] anyHost;

    /** @param candidates the entrypoint's routers in global priority order */
    HostIndex(List<RouteCandidate<T>> candidates) {
        Map<String, List<RouteCandidate<T>>> literal = new HashMap<>();
        Map<String, List<RouteCandidate<T>>> wildcard = new HashMap<>();
        List<RouteCandidate<T>> any = new ArrayList<>();
        for (RouteCandidate<T> candidate : candidates) {
            HostConstraint hosts = candidate.hosts();
            if (hosts.isAny()) {
                any.add(candidate);
                continue;
            }
            for (String host : hosts.literalHosts()) {
                literal.computeIfAbsent(host, h -> new ArrayList<>()).add(candidate);
            }
            for (String domain : hosts.wildcardDomains()) {
                wildcard.computeIfAbsent(domain, d -> new ArrayList<>()).add(candidate);
            }
        }
        this.anyHost = toArray(any);
        Map<String, RouteCandidate<T>[]> wildcardBuckets = new HashMap<>();
        wildcard.forEach((domain, list) -> wildcardBuckets.put(domain, toArray(merge(list, any))));
        Map<String, RouteCandidate<T>[]> literalBuckets = new HashMap<>();
        literal.forEach((host, list) -> {
            List<RouteCandidate<T>> covering = wildcard.getOrDefault(parentDomain(host), List.of());
            literalBuckets.put(host, toArray(merge(merge(list, covering), any)));
        });
        this.byLiteralHost = literalBuckets;
        this.byWildcardDomain = new DomainTable<>(wildcardBuckets);
    }

    /** The candidates for a lower-cased host, in priority order; never null. */
    RouteCandidate<T>[] candidates(String host) {
        RouteCandidate<T>[] bucket = byLiteralHost.get(host);
        if (bucket != null) {
            return bucket;
        }
        bucket = byWildcardDomain.getParentDomain(host);
        return bucket != null ? bucket : anyHost;
    }

    private static String parentDomain(String host) {
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(dot + 1) : "";
    }

    private static <T> List<RouteCandidate<T>> merge(List<RouteCandidate<T>> a, List<RouteCandidate<T>> b) {
        List<RouteCandidate<T>> merged = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (j == b.size() || (i < a.size() && a.get(i).rank() < b.get(j).rank())) {
                merged.add(a.get(i++));
            } else if (i < a.size() && a.get(i).rank() == b.get(j).rank()) {
                merged.add(a.get(i++));
                j++;
            } else {
                merged.add(b.get(j++));
            }
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static <T> RouteCandidate<T>[] toArray(List<RouteCandidate<T>> list) {
        return list.toArray(new RouteCandidate[0]);
    }
}
