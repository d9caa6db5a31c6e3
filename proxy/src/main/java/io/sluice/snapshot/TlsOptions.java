package io.sluice.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * How the proxy negotiates TLS for the hosts of the routers that name this set in {@link RouterTls#options()}
 * (Traefik's {@code TLSOption}). The set whose id is {@link #DEFAULT_ID} applies to every other handshake.
 *
 * @param id            {@code <namespace>/<name>} of the source object, or {@link #DEFAULT_ID}
 * @param minVersion    {@code TLSv1.2} or {@code TLSv1.3}; null means {@code TLSv1.2}
 * @param maxVersion    {@code TLSv1.2} or {@code TLSv1.3}; null means {@code TLSv1.3}
 * @param cipherSuites  IANA cipher suite names for TLS 1.2 and 1.3, in preference order; empty means the proxy's
 *                      defaults
 * @param clientAuth    whether and how client certificates are asked for and checked
 * @param clientCaPem   PEM bundle of the CAs a client certificate must chain to; needed by the verifying modes
 * @param sniStrict     refuse handshakes whose server name (or lack of one) no certificate covers, instead of
 *                      serving the default certificate
 * @param alpnProtocols protocols offered by ALPN, in preference order; empty means the entrypoint's defaults
 */
public record TlsOptions(
        String id,
        String minVersion,
        String maxVersion,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> cipherSuites,
        ClientAuth clientAuth,
        String clientCaPem,
        boolean sniStrict,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> alpnProtocols) {

    /** Id of the set that applies to every router without its own, and to handshakes no router claims. */
    public static final String DEFAULT_ID = "default";

    public TlsOptions {
        Objects.requireNonNull(id, "id");
        cipherSuites = Lists.copy(cipherSuites);
        alpnProtocols = Lists.copy(alpnProtocols);
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
    }

    /** Client certificate modes, Traefik's {@code clientAuthType} values in order. */
    public enum ClientAuth {
        /** {@code NoClientCert}: no certificate is asked for. */
        NONE,
        /** {@code RequestClientCert}: asked for, not required, not verified. */
        REQUEST,
        /** {@code RequireAnyClientCert}: required, not verified. */
        REQUIRE_ANY,
        /** {@code VerifyClientCertIfGiven}: not required; verified against the CAs when sent. */
        VERIFY_IF_GIVEN,
        /** {@code RequireAndVerifyClientCert}: required and verified against the CAs. */
        REQUIRE_AND_VERIFY;

        /** Whether this mode checks the certificate against {@link TlsOptions#clientCaPem()}. */
        public boolean verifies() {
            return this == VERIFY_IF_GIVEN || this == REQUIRE_AND_VERIFY;
        }
    }
}
