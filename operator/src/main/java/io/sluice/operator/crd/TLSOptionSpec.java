package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/**
 * The fields of a {@link TLSOption}, with Traefik's names and values.
 *
 * @param minVersion    {@code VersionTLS12} (the default) or {@code VersionTLS13}
 * @param maxVersion    {@code VersionTLS12} or {@code VersionTLS13} (the default)
 * @param cipherSuites  IANA / Go names of TLS 1.2 and 1.3 suites, in preference order; empty keeps the proxy's
 * @param clientAuth    client certificates
 * @param sniStrict     refuse handshakes for names no certificate covers instead of serving the default one
 * @param alpnProtocols ALPN protocols offered, in order; only those the entrypoint speaks are kept
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TLSOptionSpec(
        @Pattern(VERSION) String minVersion,
        @Pattern(VERSION) String maxVersion,
        List<@Pattern("^TLS_[A-Z0-9_]+$") String> cipherSuites,
        ClientAuth clientAuth,
        Boolean sniStrict,
        List<String> alpnProtocols) {
    static final String VERSION = "^VersionTLS1[23]$";

    /**
     * @param secretNames    Secrets in the TLSOption's namespace holding the CA bundle ({@code ca.crt}, else
     *                       {@code tls.ca}) client certificates must chain to
     * @param clientAuthType {@code NoClientCert} (the default), {@code RequestClientCert},
     *                       {@code RequireAnyClientCert}, {@code VerifyClientCertIfGiven} or
     *                       {@code RequireAndVerifyClientCert}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientAuth(
            List<@Pattern(Names.DNS_SUBDOMAIN) String> secretNames,
            @Pattern("^(NoClientCert|RequestClientCert|RequireAnyClientCert|VerifyClientCertIfGiven"
                    + "|RequireAndVerifyClientCert)$") String clientAuthType) {
    }
}
