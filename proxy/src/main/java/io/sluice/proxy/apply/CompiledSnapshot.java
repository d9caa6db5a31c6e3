package io.sluice.proxy.apply;

import io.sluice.proxy.router.CompiledRouter;
import java.util.Objects;

/** A snapshot compiled for the data path: the router over {@link CompiledRoute}s. Immutable. */
public record CompiledSnapshot(CompiledRouter<CompiledRoute> router, int routeCount) {
    public CompiledSnapshot {
        Objects.requireNonNull(router, "router");
    }
}
