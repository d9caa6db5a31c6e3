package io.sluice.snapshot;

import java.util.Objects;

/**
 * Active health check of a load balancer's endpoints.
 *
 * @param scheme         null to use the service's scheme
 * @param hostname       Host header to send; null for the endpoint address
 * @param expectedStatus null accepts any 2xx or 3xx
 */
public record HealthCheck(
        String path, long intervalMillis, long timeoutMillis, String scheme, String hostname, Integer expectedStatus) {
    public HealthCheck {
        Objects.requireNonNull(path, "path");
    }
}
