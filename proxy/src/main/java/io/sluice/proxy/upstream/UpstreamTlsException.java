package io.sluice.proxy.upstream;

/**
 * A TLS handshake with a backend failed (untrusted or mismatched certificate, refused client certificate,
 * timeout). Separate from connect failures so that the answer can say {@code upstream-tls}.
 */
public final class UpstreamTlsException extends Exception {
    private static final long serialVersionUID = 1L;

    UpstreamTlsException(String authority, Throwable cause) {
        super("TLS handshake with " + authority + " failed: " + cause.getClass().getSimpleName(), cause);
    }
}
