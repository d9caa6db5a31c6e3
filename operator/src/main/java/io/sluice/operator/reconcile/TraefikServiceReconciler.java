package io.sluice.operator.reconcile;

import io.sluice.operator.crd.TraefikService;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Objects;

/**
 * The JOSDK reconciler of TraefikService objects. A reconciliation only says "something changed" to the one
 * snapshot build, which translates the whole cluster view at once; it never builds, pushes or writes anything
 * itself (status is the status writer's, which also knows what the proxies acknowledged). Deletes reconcile too
 * ({@code triggerReconcilerOnAllEvents}), without a finalizer on the user's object.
 */
@ControllerConfiguration(name = "traefikservice", generationAwareEventProcessing = false,
        triggerReconcilerOnAllEvents = true)
public final class TraefikServiceReconciler implements Reconciler<TraefikService> {
    private final ClusterObjects objects;
    private final Runnable changed;

    TraefikServiceReconciler(ClusterObjects objects, Runnable changed) {
        this.objects = Objects.requireNonNull(objects, "objects");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    @Override
    public List<EventSource<?, TraefikService>> prepareEventSources(EventSourceContext<TraefikService> context) {
        objects.traefikServices(context.getPrimaryCache());
        return List.of();
    }

    @Override
    public UpdateControl<TraefikService> reconcile(TraefikService resource, Context<TraefikService> context) {
        changed.run();
        return UpdateControl.noUpdate();
    }
}
