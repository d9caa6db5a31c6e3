package io.sluice.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Objects;
import java.util.Set;

/**
 * Turns events of a secondary kind (Service, EndpointSlice, Secret, IngressClass) into one "something changed"
 * signal for the snapshot build, and reconciles no single primary. The routing snapshot is built from the whole
 * cluster view at once, so there is nothing a per-primary reconciliation could add: which objects a Service
 * affects is exactly what translation works out.
 *
 * <p>Also the primary-to-secondary mapper (none), so JOSDK keeps no index from primaries to secondaries and calls
 * {@link #toPrimaryResourceIDs} once per event.
 */
final class ChangeSignal<R> implements SecondaryToPrimaryMapper<R>, PrimaryToSecondaryMapper<HasMetadata> {
    private final Runnable changed;

    ChangeSignal(Runnable changed) {
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(R secondary) {
        changed.run();
        return Set.of();
    }

    @Override
    public Set<ResourceID> toSecondaryResourceIDs(HasMetadata primary) {
        return Set.of();
    }
}
