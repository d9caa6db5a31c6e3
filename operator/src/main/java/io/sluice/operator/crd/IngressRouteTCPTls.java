package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;

/**
 * TLS of an {@link IngressRouteTCP}. Only passthrough is served: {@code secretName} and {@code options} (TLS
 * terminated by the proxy for a TCP backend) are accepted so Traefik manifests parse, and refused with a problem
 * on the object's status.
 *
 * @param passthrough must be true: connections are relayed encrypted, the backend presents its own certificate
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngressRouteTCPTls(
        Boolean passthrough,
        @Pattern(Names.DNS_SUBDOMAIN) String secretName,
        IngressRouteTls.Options options) {
}
