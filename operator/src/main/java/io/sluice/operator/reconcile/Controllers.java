package io.sluice.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Registers the four reconcilers with a JOSDK {@link Operator}, watching the given namespaces (all when empty)
 * and dropping updates translation would not notice ({@link RelevantUpdate}). Every change any of them sees
 * ends in {@code changed}; their caches end in {@link #objects()}.
 */
public final class Controllers {
    private final ClusterObjects objects = new ClusterObjects();
    private final Runnable changed;
    private final List<String> namespaces;

    /**
     * @param changed    called on a JOSDK thread after any relevant change; must return quickly
     * @param namespaces the namespaces to watch; empty for all
     */
    public Controllers(Runnable changed, List<String> namespaces) {
        this.changed = Objects.requireNonNull(changed, "changed");
        this.namespaces = List.copyOf(namespaces);
    }

    public void registerWith(Operator operator) {
        register(operator, new IngressReconciler(objects, changed));
        register(operator, new IngressRouteReconciler(objects, changed));
        register(operator, new MiddlewareReconciler(objects, changed));
        register(operator, new TraefikServiceReconciler(objects, changed));
        register(operator, new IngressRouteTcpReconciler(objects, changed));
    }

    public ClusterObjects objects() {
        return objects;
    }

    private <P extends HasMetadata> void register(Operator operator, Reconciler<P> reconciler) {
        operator.register(reconciler, (ControllerConfigurationOverrider<P> o) -> {
            if (namespaces.isEmpty()) {
                o.watchingAllNamespaces();
            } else {
                o.settingNamespaces(Set.copyOf(namespaces));
            }
            o.withOnUpdateFilter(new RelevantUpdate<>());
        });
    }
}
