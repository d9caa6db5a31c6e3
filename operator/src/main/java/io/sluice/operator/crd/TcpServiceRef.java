package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * A Kubernetes Service port that a TCP route relays connections to.
 *
 * @param namespace null means the IngressRouteTCP's namespace; another namespace needs
 *                  {@code --allow-cross-namespace}
 * @param port      the Service port, by number or by name
 * @param weight    share of the route's connections when it has several services; null means 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TcpServiceRef(
        @Required @Pattern(Names.DNS_SUBDOMAIN) String name,
        @Pattern(Names.DNS_LABEL) String namespace,
        @Required IntOrString port,
        @Min(0) Integer weight) {
}
