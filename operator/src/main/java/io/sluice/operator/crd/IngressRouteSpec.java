package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The desired routes.
 *
 * @param entryPoints entrypoint names; empty uses the operator's default entrypoints
 * @param tls         null serves plain HTTP only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngressRouteSpec(
        List<@Pattern(Names.ENTRYPOINT) String> entryPoints,
        @Required @Size(min = 1) List<Route> routes,
        IngressRouteTls tls) {
}
