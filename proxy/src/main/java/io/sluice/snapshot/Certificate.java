package io.sluice.snapshot;

import java.util.Objects;

/**
 * A certificate chain and its private key, PEM encoded. {@link #toString()} never shows the key.
 *
 * @param id the source, for example {@code secret/default/web-tls}
 */
public record Certificate(String id, String certificatePem, String privateKeyPem) {
    public Certificate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    }

    @Override
    public String toString() {
        return "Certificate[id=" + id + ", key=<redacted>]";
    }
}
