package io.sluice.proxy.tls;

/**
 * Thrown from the server-name lookup to fail a TLS handshake on purpose: the name's TLS options are
 * {@code sniStrict} and no certificate covers it, or its options could not be built (serving the handshake with
 * weaker settings, for example without the client-certificate check, would be worse than refusing it).
 */
public final class HandshakeRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HandshakeRefusedException(String message) {
        super(message, null, false, false);
    }
}
