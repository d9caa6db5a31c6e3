package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * TLS for every route of an IngressRoute.
 *
 * @param secretName a {@code kubernetes.io/tls} Secret in the IngressRoute's namespace; null uses the proxy's
 *                   default certificate
 * @param options    a TLS options set; null uses the defaults
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngressRouteTls(@Pattern(Names.DNS_SUBDOMAIN) String secretName, Options options) {

    /** A reference to a TLS options set, Traefik style. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Options(@Required @Pattern(Names.DNS_SUBDOMAIN) String name,
            @Pattern(Names.DNS_LABEL) String namespace) {
    }
}
