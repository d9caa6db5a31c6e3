package io.sluice.proxy.balancer;

import io.sluice.proxy.upstream.UpstreamEndpoint;
import io.sluice.proxy.upstream.UpstreamSettings;
import java.util.Objects;

/**
 * Where one request goes: the endpoint, and how to talk to it (the owning load balancer's id, whether the
 * client's Host header is passed, and the effective timeouts).
 */
public record UpstreamTarget(
        String serviceId, UpstreamEndpoint endpoint, boolean passHostHeader, UpstreamSettings settings) {
    public UpstreamTarget {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(settings, "settings");
    }
}
