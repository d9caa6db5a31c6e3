package io.sluice.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;

/**
 * How the proxy speaks TLS to the endpoints of a {@code https} service (Traefik's ServersTransport). Without
 * it, a {@code https} service is verified against the JVM's default trust store and the endpoint address, and
 * offers HTTP/2 and HTTP/1.1 in ALPN.
 *
 * @param serverName         the name sent in SNI and checked against the backend's certificate; null: the
 *                           endpoint address
 * @param insecureSkipVerify accept any certificate from the backend (unsafe: anyone on the path can read the
 *                           traffic); an explicit opt-in
 * @param rootCas            PEM CA certificates the backend's chain must lead to; empty: the JVM's default
 *                           trust store
 * @param clientCertificate  id of a snapshot {@link Certificate} presented to the backend (mutual TLS); null:
 *                           none
 * @param disableHttp2       offer only {@code http/1.1} in ALPN (Traefik's {@code disableHTTP2}); false: offer
 *                           {@code h2} too and multiplex requests when the backend selects it. Omitted from the
 *                           JSON when false, and false when absent (snapshots of older operators).
 */
public record UpstreamTls(String serverName, boolean insecureSkipVerify, List<String> rootCas,
        String clientCertificate,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY) boolean disableHttp2) {
    public UpstreamTls {
        rootCas = Lists.copy(rootCas);
    }

    /** HTTP/2 allowed (offered in ALPN). */
    public UpstreamTls(String serverName, boolean insecureSkipVerify, List<String> rootCas,
            String clientCertificate) {
        this(serverName, insecureSkipVerify, rootCas, clientCertificate, false);
    }
}
