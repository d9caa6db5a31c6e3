package io.sluice.proxy.upstream;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every endpoint the proxy currently knows, by {@code address:port}, so that an endpoint that stays in the next
 * snapshot keeps its pools (and their warm keep-alive connections). After a snapshot compiles, endpoints it no
 * longer lists are {@link UpstreamEndpoint#retire() retired}: a request of the previous snapshot that is still
 * running finishes normally, then the connection closes.
 */
public final class UpstreamEndpoints {
    private final int maxConnectionsPerEndpoint;
    private final int maxQueuedPerEndpoint;
    private final Duration queueTimeout;
    private final QueueRejections queueRejections = new QueueRejections();
    private final Map<String, UpstreamEndpoint> endpoints = new ConcurrentHashMap<>();

    public UpstreamEndpoints(UpstreamSettings settings) {
        this.maxConnectionsPerEndpoint = settings.maxConnectionsPerEndpoint();
        this.maxQueuedPerEndpoint = settings.maxQueuedPerEndpoint();
        this.queueTimeout = settings.queueTimeout();
    }

    /** The endpoint for this address, the existing one when it is already known. */
    public UpstreamEndpoint endpoint(String address, int port) {
        return endpoint(address, port, false);
    }

    /** The endpoint for this address and protocol ({@code http2}: h2c), the existing one when already known. */
    public UpstreamEndpoint endpoint(String address, int port, boolean http2) {
        return endpoint(address, port, http2, null);
    }

    /** The endpoint for this address and protocol ({@code tls} non-null: https), the existing one when known. */
    public UpstreamEndpoint endpoint(String address, int port, boolean http2, UpstreamTlsPolicy tls) {
        UpstreamEndpoint probe = new UpstreamEndpoint(address, port, maxConnectionsPerEndpoint, http2, tls,
                maxQueuedPerEndpoint, queueTimeout, queueRejections);
        return endpoints.computeIfAbsent(probe.poolKey(), k -> probe);
    }

    /** Retires and forgets every endpoint whose {@link UpstreamEndpoint#poolKey()} is not in {@code keep}. */
    public synchronized void retainOnly(Set<String> keep) {
        endpoints.values().removeIf(endpoint -> {
            if (keep.contains(endpoint.poolKey())) {
                return false;
            }
            endpoint.retire();
            return true;
        });
    }

    public Collection<UpstreamEndpoint> all() {
        return endpoints.values();
    }

    /** Requests that left an endpoint's queue without a connection, over every endpoint. */
    public QueueRejections queueRejections() {
        return queueRejections;
    }
}
