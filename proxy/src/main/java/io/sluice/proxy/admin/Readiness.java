package io.sluice.proxy.admin;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether the proxy should get traffic: not before the first snapshot is serving, and not once shutdown has
 * begun (so that load balancers stop sending new connections while the listeners drain).
 */
public final class Readiness {
    private final BooleanSupplier snapshotServing;
    private volatile boolean shuttingDown;

    public Readiness(BooleanSupplier snapshotServing) {
        this.snapshotServing = Objects.requireNonNull(snapshotServing, "snapshotServing");
    }

    /** Fails readiness from now on. */
    public void beginShutdown() {
        shuttingDown = true;
    }

    /** Empty when ready; otherwise why not. */
    public Optional<String> notReadyReason() {
        if (shuttingDown) {
            return Optional.of("shutting down");
        }
        if (!snapshotServing.getAsBoolean()) {
            return Optional.of("no routing snapshot applied yet");
        }
        return Optional.empty();
    }
}
