package io.sluice.proxy.upstream;

import io.sluice.snapshot.Timeouts;
import java.time.Duration;
import java.util.Objects;

/**
 * How the proxy talks to backends: timeouts, the per-endpoint connection limit and the queue of requests waiting
 * at that limit. A service's {@link Timeouts} override the connect, response-header and idle timeouts field by
 * field.
 *
 * @param connectTimeout            TCP connect timeout (default 5 s)
 * @param responseHeaderTimeout     from the end of the request to the response head; 504 after (default 60 s)
 * @param idleTimeout               a pooled keep-alive connection unused this long is closed (default 90 s)
 * @param maxConnectionsPerEndpoint open connections to one endpoint, over all event loops (default 512)
 * @param maxResponseHeaderSize     bytes of response head accepted from a backend (default 32 KiB)
 * @param maxQueuedPerEndpoint      requests that may wait for a connection to one endpoint at its limit, over
 *                                  all event loops; 0 answers 503 at once (default 1024)
 * @param queueTimeout              how long a request may wait there before it gets 503 (default 10 s)
 */
public record UpstreamSettings(
        Duration connectTimeout,
        Duration responseHeaderTimeout,
        Duration idleTimeout,
        int maxConnectionsPerEndpoint,
        int maxResponseHeaderSize,
        int maxQueuedPerEndpoint,
        Duration queueTimeout) {

    public static final int DEFAULT_MAX_QUEUED_PER_ENDPOINT = 1024;
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(10);

    public UpstreamSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(queueTimeout, "queueTimeout");
        if (maxQueuedPerEndpoint < 0 || queueTimeout.isNegative() || queueTimeout.isZero()) {
            throw new IllegalArgumentException("maxQueuedPerEndpoint >= 0 and a positive queueTimeout");
        }
        Objects.requireNonNull(responseHeaderTimeout, "responseHeaderTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxConnectionsPerEndpoint < 1 || maxResponseHeaderSize < 1024) {
            throw new IllegalArgumentException("maxConnectionsPerEndpoint >= 1 and maxResponseHeaderSize >= 1024");
        }
    }

    /** Settings with the default queue ({@value #DEFAULT_MAX_QUEUED_PER_ENDPOINT} requests, 10 s). */
    public UpstreamSettings(Duration connectTimeout, Duration responseHeaderTimeout, Duration idleTimeout,
            int maxConnectionsPerEndpoint, int maxResponseHeaderSize) {
        this(connectTimeout, responseHeaderTimeout, idleTimeout, maxConnectionsPerEndpoint, maxResponseHeaderSize,
                DEFAULT_MAX_QUEUED_PER_ENDPOINT, DEFAULT_QUEUE_TIMEOUT);
    }

    public static UpstreamSettings defaults() {
        return new UpstreamSettings(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(90), 512,
                32 * 1024);
    }

    /** These settings with another queue at the connection limit. */
    public UpstreamSettings withQueue(int maxQueued, Duration timeout) {
        return new UpstreamSettings(connectTimeout, responseHeaderTimeout, idleTimeout, maxConnectionsPerEndpoint,
                maxResponseHeaderSize, maxQueued, timeout);
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
                maxConnectionsPerEndpoint, maxResponseHeaderSize, maxQueuedPerEndpoint, queueTimeout);
    }
}
