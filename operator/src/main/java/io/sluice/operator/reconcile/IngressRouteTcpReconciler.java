package io.sluice.operator.reconcile;

import io.sluice.operator.crd.IngressRouteTCP;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Objects;

/**
 * The JOSDK reconciler of IngressRouteTCP objects (TLS passthrough). A reconciliation only says "something changed" to the one
 * snapshot build, which translates the whole cluster view at once; it never builds, pushes or writes anything
 * itself (status is the status writer's, which also knows what the proxies acknowledged). Deletes reconcile too
 * ({@code triggerReconcilerOnAllEvents}), without a finalizer on the user's object.
 */
@ControllerConfiguration(name = "ingressroutetcp", generationAwareEventProcessing = false,
        triggerReconcilerOnAllEvents = true)
public final class IngressRouteTcpReconciler implements Reconciler<IngressRouteTCP> {
    private final ClusterObjects objects;
    private final Runnable changed;

    IngressRouteTcpReconciler(ClusterObjects objects, Runnable changed) {
        this.objects = Objects.requireNonNull(objects, "objects");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    @Override
    public List<EventSource<?, IngressRouteTCP>> prepareEventSources(EventSourceContext<IngressRouteTCP> context) {
        objects.ingressRouteTcps(context.getPrimaryCache());
        return List.of();
    }

    @Override
    public UpdateControl<IngressRouteTCP> reconcile(IngressRouteTCP resource, Context<IngressRouteTCP> context) {
        changed.run();
        return UpdateControl.noUpdate();
    }
}
