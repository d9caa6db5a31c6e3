package io.sluice.proxy.apply;

import io.sluice.proxy.router.CompiledRouter;
import io.sluice.proxy.router.RequestView;
import java.util.List;
import java.util.Objects;

/**
 * The compiled router of a snapshot, split in two so that an endpoint-only change can keep the expensive part:
 * the matching structure (rules parsed, hosts indexed) answers with a route's position, and an immutable array
 * holds what each position currently leads to. {@link #relink} gives a new table over the same structure; the
 * old one stays untouched for requests still using it.
 */
final class RouteTable implements CompiledRouter<CompiledRoute> {
    private final CompiledRouter<Integer> structure;
    private final CompiledRoute[] routes;

    RouteTable(CompiledRouter<Integer> structure, List<CompiledRoute> routes) {
        this.structure = Objects.requireNonNull(structure, "structure");
        this.routes = routes.toArray(new CompiledRoute[0]);
    }

    @Override
    public CompiledRoute match(String entryPoint, RequestView request) {
        Integer position = structure.match(entryPoint, request);
        return position == null ? null : routes[position];
    }

    /** The route at {@code position} (the router's position in the snapshot). */
    CompiledRoute route(int position) {
        return routes[position];
    }

    int size() {
        return routes.length;
    }

    /** The same matching structure leading to {@code relinked} (one route per position, same order). */
    RouteTable relink(List<CompiledRoute> relinked) {
        if (relinked.size() != routes.length) {
            throw new IllegalArgumentException("relinked " + relinked.size() + " routes, the table has "
                    + routes.length);
        }
        return new RouteTable(structure, relinked);
    }
}
