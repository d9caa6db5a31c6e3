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

    /**
     * Compiles {@code change.next()}, which differs from the snapshot behind {@code serving} only in some load
     * balancers' endpoints, reusing what it can of {@code serving}. The result must serve exactly as
     * {@code compile(change.next())} would, and keep at least the state a full compile keeps.
     *
     * @return null when this compiler cannot take the shortcut (the caller then compiles the snapshot whole)
     * @throws SnapshotRejectedException naming every problem
     */
    default C compileEndpointChange(C serving, EndpointOnlyChange change) throws SnapshotRejectedException {
        return null;
    }
}
