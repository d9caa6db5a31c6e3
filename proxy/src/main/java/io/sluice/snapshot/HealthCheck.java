package io.sluice.snapshot;

import java.util.Map;
import java.util.Objects;

/**
 * Active health check of a load balancer's endpoints: a GET of {@code path} on each endpoint every
 * {@code intervalMillis}, failed when no acceptable answer comes within {@code timeoutMillis}.
 *
 * @param scheme         null to use the service's scheme
 * @param hostname       Host header to send; null for the endpoint address
 * @param expectedStatus null accepts any 2xx or 3xx
 * @param port           port to check instead of the endpoint's; null for the endpoint's port
 * @param headers        extra request headers; empty for none
 */
public record HealthCheck(
        String path, long intervalMillis, long timeoutMillis, String scheme, String hostname, Integer expectedStatus,
        Integer port, Map<String, String> headers) {
    public HealthCheck {
        Objects.requireNonNull(path, "path");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A check on the endpoint's own port without extra headers. */
    public HealthCheck(
            String path, long intervalMillis, long timeoutMillis, String scheme, String hostname,
            Integer expectedStatus) {
        this(path, intervalMillis, timeoutMillis, scheme, hostname, expectedStatus, null, Map.of());
    }
}
