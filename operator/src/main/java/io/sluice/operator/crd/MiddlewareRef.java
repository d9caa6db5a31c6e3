package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A reference to a {@link Middleware}.
 *
 * @param namespace null means the referring object's namespace
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MiddlewareRef(
        @Required @Pattern(Names.DNS_SUBDOMAIN) String name,
        @Pattern(Names.DNS_LABEL) String namespace) {
}
