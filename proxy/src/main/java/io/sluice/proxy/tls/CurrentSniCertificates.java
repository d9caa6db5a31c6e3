package io.sluice.proxy.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The certificates the HTTPS entrypoint serves now, swapped whole when a new snapshot is applied. Each handshake
 * reads the reference once, so new handshakes see the new certificates while connections already established
 * keep the session they negotiated. Give one instance to every {@code SniHandler} of the entrypoint.
 */
public final class CurrentSniCertificates implements Mapping<String, SslContext> {
    private final AtomicReference<SniCertificates> current;

    public CurrentSniCertificates(SniCertificates initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    /** Serves {@code next} to every handshake that starts after this call; returns the replaced set. */
    public SniCertificates replace(SniCertificates next) {
        return current.getAndSet(Objects.requireNonNull(next, "next"));
    }

    public SniCertificates current() {
        return current.get();
    }

    @Override
    public SslContext map(String serverName) {
        return current.get().map(serverName);
    }
}
