package io.sluice.operator.run;

import io.sluice.operator.push.PushSettings;
import io.sluice.operator.push.ServiceRef;
import io.sluice.operator.translate.TranslationOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * What one leader session needs besides its clients: where the proxies are, how to translate, how long to
 * coalesce change bursts ({@code quietPeriod}, capped at {@code maxDelay}), how often to re-check statuses, how
 * to push, and where our Ingresses are published.
 */
public record RunSettings(ServiceRef proxyAdminService, TranslationOptions options, Duration quietPeriod,
        Duration maxDelay, Duration statusRefresh, PushSettings push, IngressAddresses addresses) {
    public static final Duration QUIET_PERIOD = Duration.ofMillis(100);
    public static final Duration MAX_DELAY = Duration.ofSeconds(1);
    public static final Duration STATUS_REFRESH = Duration.ofSeconds(5);

    public RunSettings {
        Objects.requireNonNull(proxyAdminService, "proxyAdminService");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(quietPeriod, "quietPeriod");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(statusRefresh, "statusRefresh");
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(addresses, "addresses");
    }
}
