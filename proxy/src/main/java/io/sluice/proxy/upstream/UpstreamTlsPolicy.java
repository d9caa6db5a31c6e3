package io.sluice.proxy.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Objects;

/**
 * The compiled TLS client side of one {@code https} service: the contexts (trust, client certificate, hostname
 * verification, ALPN offer) and the name the backend is addressed by. Endpoints of services with the same
 * settings share a policy, and its {@link #fingerprint()} keeps their pools apart from those with other settings.
 *
 * <p>Two contexts with the same trust and keys: one offers only {@code http/1.1} in ALPN (for HTTP/1.1
 * connections that must stay HTTP/1.1: WebSocket upgrades, health checks, and every connection when HTTP/2 is
 * disabled), the other offers {@code h2} then {@code http/1.1} (absent when HTTP/2 is disabled).
 */
public final class UpstreamTlsPolicy {
    /** The ALPN protocol id of HTTP/2 over TLS (RFC 9113 section 3.2). */
    static final String H2 = "h2";

    private final SslContext http1;
    private final SslContext negotiating;
    private final String serverName;
    private final String fingerprint;

    /**
     * @param http1       offers only {@code http/1.1}
     * @param negotiating offers {@code h2} and {@code http/1.1}; null: HTTP/2 is disabled for this service
     * @param serverName  sent in SNI and verified against the certificate; null: the endpoint address
     * @param fingerprint a digest of the settings (never of key material), part of the pool key
     */
    UpstreamTlsPolicy(SslContext http1, SslContext negotiating, String serverName, String fingerprint) {
        this.http1 = Objects.requireNonNull(http1, "http1");
        this.negotiating = negotiating;
        this.serverName = serverName;
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** Whether new connections offer {@code h2} (false when the service's transport disables HTTP/2). */
    public boolean offersHttp2() {
        return negotiating != null;
    }

    /** The name to address {@code endpoint} by: the configured server name or its address. */
    String peerName(UpstreamEndpoint endpoint) {
        return serverName != null ? serverName : endpoint.address();
    }

    /**
     * A client-mode handler for a new HTTP/1.1 connection to {@code endpoint} (ALPN offers only
     * {@code http/1.1}), failing a handshake after the timeout.
     */
    SslHandler newHandler(ByteBufAllocator alloc, UpstreamEndpoint endpoint, long handshakeTimeoutMillis) {
        return newHandler(alloc, endpoint, handshakeTimeoutMillis, false);
    }

    /**
     * Like {@link #newHandler(ByteBufAllocator, UpstreamEndpoint, long)}; with {@code offerHttp2} (and HTTP/2 not
     * disabled) ALPN offers {@code h2} first, and the handshake's selected protocol says what the connection speaks.
     */
    SslHandler newHandler(ByteBufAllocator alloc, UpstreamEndpoint endpoint, long handshakeTimeoutMillis,
            boolean offerHttp2) {
        SslContext context = offerHttp2 && negotiating != null ? negotiating : http1;
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
        SslHandler handler = http1.newHandler(alloc, name, port); // a probe is an HTTP/1.1 request
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }
}
