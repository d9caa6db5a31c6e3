package io.sluice.proxy.apply;

import io.sluice.proxy.balancer.ServiceBalancer;
import io.sluice.proxy.middleware.HttpMiddleware;
import io.sluice.snapshot.Service;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the {@link DataPlaneCompiler} built for one snapshot, kept with the compiled snapshot so that the next,
 * endpoint-only, change can reuse it: the route table, every service and middleware by id, the upstream pool
 * keys each load balancer uses, and which services and middlewares each middleware was built from (an
 * {@code errors} middleware holds its error service, a {@code chain} its steps). Immutable.
 */
public final class CompiledParts {

    /** What one middleware was built from. */
    record Dependencies(Set<String> services, Set<String> middlewares) {
        static final Dependencies NONE = new Dependencies(Set.of(), Set.of());

        Dependencies {
            services = Set.copyOf(services);
            middlewares = Set.copyOf(middlewares);
        }

        boolean isEmpty() {
            return services.isEmpty() && middlewares.isEmpty();
        }
    }

    private final DataPlaneCompiler owner;
    private final RouteTable table;
    private final Map<String, ServiceBalancer> services;
    private final Map<String, Set<String>> poolKeys;
    private final Map<String, HttpMiddleware> middlewares;
    private final Map<String, Dependencies> dependencies;

    CompiledParts(DataPlaneCompiler owner, RouteTable table, Map<String, ServiceBalancer> services,
            Map<String, Set<String>> poolKeys, Map<String, HttpMiddleware> middlewares,
            Map<String, Dependencies> dependencies) {
        this.owner = owner;
        this.table = table;
        this.services = Map.copyOf(services);
        Map<String, Set<String>> keys = new HashMap<>();
        poolKeys.forEach((id, set) -> keys.put(id, Set.copyOf(set)));
        this.poolKeys = Map.copyOf(keys);
        this.middlewares = Map.copyOf(middlewares);
        this.dependencies = Map.copyOf(dependencies);
    }

    boolean builtBy(DataPlaneCompiler compiler) {
        return owner == compiler;
    }

    RouteTable table() {
        return table;
    }

    Map<String, ServiceBalancer> services() {
        return services;
    }

    Map<String, Set<String>> poolKeys() {
        return poolKeys;
    }

    Map<String, HttpMiddleware> middlewares() {
        return middlewares;
    }

    Map<String, Dependencies> dependencies() {
        return dependencies;
    }

    /**
     * {@code changed} and every service that leads to one of them (weighted and mirroring services, through any
     * number of levels): all of these must be rebuilt to see the new endpoints.
     */
    static Set<String> affectedServices(List<Service> specs, Set<String> changed) {
        Map<String, Set<String>> parents = new HashMap<>();
        for (Service spec : specs) {
            for (String child : children(spec)) {
                parents.computeIfAbsent(child, k -> new HashSet<>()).add(spec.id());
            }
        }
        Set<String> affected = new HashSet<>();
        List<String> pending = new java.util.ArrayList<>(changed);
        while (!pending.isEmpty()) {
            String id = pending.remove(pending.size() - 1);
            if (affected.add(id)) {
                pending.addAll(parents.getOrDefault(id, Set.of()));
            }
        }
        return affected;
    }

    /** The middlewares built from an affected service, directly or through their steps. */
    Set<String> affectedMiddlewares(Set<String> affectedServices) {
        Set<String> affected = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, Dependencies> entry : dependencies.entrySet()) {
                if (affected.contains(entry.getKey())) {
                    continue;
                }
                Dependencies d = entry.getValue();
                if (d.services().stream().anyMatch(affectedServices::contains)
                        || d.middlewares().stream().anyMatch(affected::contains)) {
                    affected.add(entry.getKey());
                    grew = true;
                }
            }
        }
        return affected;
    }

    private static List<String> children(Service spec) {
        if (spec instanceof Service.Weighted) {
            return ((Service.Weighted) spec).services().stream().map(Service.WeightedTarget::service).toList();
        }
        if (spec instanceof Service.Mirroring) {
            Service.Mirroring m = (Service.Mirroring) spec;
            List<String> ids = new java.util.ArrayList<>();
            ids.add(m.service());
            m.mirrors().forEach(t -> ids.add(t.service()));
            return ids;
        }
        return List.of();
    }
}
