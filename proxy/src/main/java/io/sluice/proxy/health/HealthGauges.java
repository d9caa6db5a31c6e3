package io.sluice.proxy.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes endpoint health as totals: how many active checks run and how many of them fail, and how many
 * endpoints passive health has ejected. Totals, not one series per endpoint, because pods come and go and each
 * would leave a series behind; the failing endpoints themselves are named in the log when they change state.
 */
public final class HealthGauges {

    public HealthGauges(MeterRegistry registry, HealthCheckers checkers) {
        Gauge.builder("sluice.upstream.health.checks", checkers, c -> c.running().size())
                .description("Active health checks running (one per service endpoint)")
                .strongReference(true).register(registry);
        Gauge.builder("sluice.upstream.health.checks.failing", checkers,
                        c -> c.running().stream().filter(check -> !check.healthy()).count())
                .description("Active health checks whose last probe failed: endpoints taken out of rotation")
                .strongReference(true).register(registry);
        Gauge.builder("sluice.upstream.endpoints.ejected", checkers, HealthCheckers::passivelyEjected)
                .description("Endpoints out of rotation by a service's passive health check")
                .strongReference(true).register(registry);
    }
}
