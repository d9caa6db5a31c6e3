package io.sluice.operator.reconcile;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Objects;

/**
 * The JOSDK reconciler of Ingress objects. A reconciliation only says "something changed" to the one
 * snapshot build, which translates the whole cluster view at once; it never builds, pushes or writes anything
 * itself (status is the status writer's, which also knows what the proxies acknowledged). Deletes reconcile too
 * ({@code triggerReconcilerOnAllEvents}), without a finalizer on the user's object. Also hosts the informers
 * shared by all three controllers ({@link SharedSources}).
 */
@ControllerConfiguration(name = "ingress", generationAwareEventProcessing = false,
        triggerReconcilerOnAllEvents = true)
public final class IngressReconciler implements Reconciler<Ingress> {
    private final ClusterObjects objects;
    private final Runnable changed;
    private final SharedSources shared;

    IngressReconciler(ClusterObjects objects, Runnable changed) {
        this.objects = Objects.requireNonNull(objects, "objects");
        this.changed = Objects.requireNonNull(changed, "changed");
        this.shared = new SharedSources(objects, changed);
    }

    @Override
    public List<EventSource<?, Ingress>> prepareEventSources(EventSourceContext<Ingress> context) {
        objects.ingresses(context.getPrimaryCache());
        return shared.create(context);
    }

    @Override
    public UpdateControl<Ingress> reconcile(Ingress resource, Context<Ingress> context) {
        changed.run();
        return UpdateControl.noUpdate();
    }
}
