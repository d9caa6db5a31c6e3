package io.sluice.proxy.apply;

import io.sluice.snapshot.RoutingSnapshot;

/**
 * Turns a structurally valid snapshot into what the data path runs. Called off the event loops; must not change
 * what is serving until the caller swaps the result in.
 *
 * @param <C> the compiled form
 */
public interface SnapshotCompiler<C> {

    /** @throws SnapshotRejectedException naming every problem (bad rule, unusable middleware, ...) */
    C compile(RoutingSnapshot snapshot) throws SnapshotRejectedException;
}
