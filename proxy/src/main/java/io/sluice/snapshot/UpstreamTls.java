package io.sluice.snapshot;

import java.util.List;

/**
 * How the proxy speaks TLS to the endpoints of a {@code https} service (Traefik's ServersTransport). Without
 * it, a {@code https} service is verified against the JVM's default trust store and the endpoint address.
 *
 * @param serverName         the name sent in SNI and checked against the backend's certificate; null: the
 *                           endpoint address
 * @param insecureSkipVerify accept any certificate from the backend (unsafe: anyone on the path can read the
 *                           traffic); an explicit opt-in
 * @param rootCas            PEM CA certificates the backend's chain must lead to; empty: the JVM's default
 *                           trust store
 * @param clientCertificate  id of a snapshot {@link Certificate} presented to the backend (mutual TLS); null:
 *                           none
 */
public record UpstreamTls(String serverName, boolean insecureSkipVerify, List<String> rootCas,
        String clientCertificate) {
    public UpstreamTls {
        rootCas = Lists.copy(rootCas);
    }
}
