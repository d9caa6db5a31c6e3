package io.sluice.operator.reconcile;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;

/**
 * JOSDK's hook for reconciliation metrics, recorded on the operator's own registry: one timer
 * {@code sluice_controller_reconcile_seconds{controller, result}} whose count is the number of reconciliations
 * per controller ({@code ingress}, {@code ingressroute}, {@code middleware}) and {@code result} is
 * {@code success} or {@code error}. Labelled by controller only, never by object, so the series stay few
 * however many objects the cluster holds.
 */
public final class ReconcileMetrics implements Metrics {
    private final MeterRegistry registry;

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        Timer.Sample sample = Timer.start(registry);
        String result = "error";
        try {
            T outcome = execution.execute();
            result = "success";
            return outcome;
        } finally {
            sample.stop(Timer.builder("sluice.controller.reconcile")
                    .description("Reconciliations run by the JOSDK controllers, and how long each took")
                    .tag("controller", execution.controllerName())
                    .tag("result", result)
                    .register(registry));
        }
    }
}
