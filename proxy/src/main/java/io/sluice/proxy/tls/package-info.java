/**
 * The proxy's TLS certificates: snapshot {@code Certificate}s compiled into Netty {@code SslContext}s, the SNI
 * lookup the HTTPS entrypoint hands to {@code SniHandler}, and the default certificate. See {@code docs/tls.md}.
 */
package io.sluice.proxy.tls;
