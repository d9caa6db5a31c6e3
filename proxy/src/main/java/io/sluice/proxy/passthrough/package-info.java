/**
 * TLS passthrough: on a TLS entrypoint, reads the server name (SNI) of the ClientHello without terminating TLS and,
 * when a TCP router of the serving snapshot takes that name, relays the still-encrypted bytes both ways to an
 * endpoint of its service. Other connections continue to TLS termination unchanged.
 */
package io.sluice.proxy.passthrough;
