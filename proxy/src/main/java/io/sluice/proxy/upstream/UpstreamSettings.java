package io.sluice.proxy.upstream;

import io.sluice.snapshot.Timeouts;
import java.time.Duration;
import java.util.Objects;

/**
 * How the proxy talks to backends: timeouts and the per-endpoint connection limit. A service's
 * {@link Timeouts} override the timeouts field by field.
 *
 * @param connectTimeout            TCP connect timeout (default 5 s)
 * @param responseHeaderTimeout     from the end of the request to the response head; 504 after (default 60 s)
 * @param idleTimeout               a pooled keep-alive connection unused this long is closed (default 90 s)
 * @param maxConnectionsPerEndpoint open connections to one endpoint, over all event loops (default 512)
 * @param maxResponseHeaderSize     bytes of response head accepted from a backend (default 32 KiB)
 */
public record UpstreamSettings(
        Duration connectTimeout,
        Duration responseHeaderTimeout,
        Duration idleTimeout,
        int maxConnectionsPerEndpoint,
        int maxResponseHeaderSize) {

    public UpstreamSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseHeaderTimeout, "responseHeaderTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxConnectionsPerEndpoint < 1 || maxResponseHeaderSize < 1024) {
            throw new IllegalArgumentException("maxConnectionsPerEndpoint >= 1 and maxResponseHeaderSize >= 1024");
        }
    }

    public static UpstreamSettings defaults() {
        return new UpstreamSettings(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(90), 512,
                32 * 1024);
    }

    /** These settings with a service's timeouts applied over them; null keeps these. */
    public UpstreamSettings with(Timeouts timeouts) {
        if (timeouts == null) {
            return this;
        }
        return new UpstreamSettings(
                timeouts.connectMillis() == null ? connectTimeout : Duration.ofMillis(timeouts.connectMillis()),
                timeouts.responseHeaderMillis() == null
                        ? responseHeaderTimeout : Duration.ofMillis(timeouts.responseHeaderMillis()),
                timeouts.idleMillis() == null ? idleTimeout : Duration.ofMillis(timeouts.idleMillis()),
                maxConnectionsPerEndpoint, maxResponseHeaderSize);
    }
}
