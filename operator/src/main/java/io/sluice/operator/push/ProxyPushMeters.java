package io.sluice.operator.push;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Push latency and result per proxy: {@code sluice_proxy_push_duration_seconds{proxy, result}}, where
 * {@code proxy} is the pod's {@code ip:port}. A proxy's series are removed when it leaves the proxy admin
 * Service, so pods coming and going do not leave series behind; the fleet-wide
 * {@code sluice_push_duration_seconds{result}} keeps the totals.
 *
 * <p>Used from the push thread only.
 */
final class ProxyPushMeters {
    private final MeterRegistry registry;
    private final Map<ProxyAddress, List<Meter>> meters = new HashMap<>();

    ProxyPushMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    void record(ProxyAddress proxy, String result, long nanos) {
        Timer timer = Timer.builder("sluice.proxy.push.duration")
                .description("Duration of one snapshot push to one proxy, by proxy and result")
                .tag("proxy", proxy.toString())
                .tag("result", result)
                .register(registry);
        List<Meter> own = meters.computeIfAbsent(proxy, p -> new ArrayList<>());
        if (!own.contains(timer)) {
            own.add(timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    void forget(ProxyAddress proxy) {
        List<Meter> own = meters.remove(proxy);
        if (own != null) {
            own.forEach(registry::remove);
        }
    }
}
