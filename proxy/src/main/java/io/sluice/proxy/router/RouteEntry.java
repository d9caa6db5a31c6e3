package io.sluice.proxy.router;

import io.sluice.snapshot.Router;
import java.util.Objects;

/**
 * A router from the snapshot paired with what a match should return.
 *
 * @param <T> the data path's compiled route
 */
public record RouteEntry<T>(Router router, T payload) {
    public RouteEntry {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(payload, "payload");
    }
}
