package io.sluice.snapshot;

/**
 * TLS for a router.
 *
 * @param certificate id of a {@link Certificate} in the snapshot; null means the proxy's default certificate
 * @param options     name of a TLS options set; null means the defaults
 */
public record RouterTls(String certificate, String options) {
}
