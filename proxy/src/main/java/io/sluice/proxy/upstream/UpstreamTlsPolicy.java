package io.sluice.proxy.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Objects;

/**
 * The compiled TLS client side of one {@code https} service: the context (trust, client certificate, hostname
 * verification) and the name the backend is addressed by. Endpoints of services with the same settings share a
 * policy, and its {@link #fingerprint()} keeps their pools apart from those with other settings.
 */
public final class UpstreamTlsPolicy {
    private final SslContext context;
    private final String serverName;
    private final String fingerprint;

    /**
     * @param serverName  sent in SNI and verified against the certificate; null: the endpoint address
     * @param fingerprint a digest of the settings (never of key material), part of the pool key
     */
    UpstreamTlsPolicy(SslContext context, String serverName, String fingerprint) {
        this.context = Objects.requireNonNull(context, "context");
        this.serverName = serverName;
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** The name to address {@code endpoint} by: the configured server name or its address. */
    String peerName(UpstreamEndpoint endpoint) {
        return serverName != null ? serverName : endpoint.address();
    }

    /** A client-mode handler for a new connection to {@code endpoint}, failing a handshake after the timeout. */
    SslHandler newHandler(ByteBufAllocator alloc, UpstreamEndpoint endpoint, long handshakeTimeoutMillis) {
        SslHandler handler = context.newHandler(alloc, peerName(endpoint), endpoint.port());
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }

    /**
     * A client-mode handler for a health probe of {@code address}: same trust, client certificate and hostname
     * verification as the service's requests, but addressed (SNI and verification) by {@code probeHostname} when
     * the check sets one, else as requests are.
     */
    public SslHandler newProbeHandler(ByteBufAllocator alloc, String address, int port, String probeHostname,
            long handshakeTimeoutMillis) {
        String name = probeHostname != null ? probeHostname : serverName != null ? serverName : address;
        SslHandler handler = context.newHandler(alloc, name, port);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }
}
