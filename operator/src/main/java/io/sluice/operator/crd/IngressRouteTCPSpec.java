package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The desired TLS passthrough routes (Traefik's field names).
 *
 * @param entryPoints entrypoint names; empty means {@code websecure}
 * @param tls         must be {@code passthrough: true}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngressRouteTCPSpec(
        List<@Pattern(Names.ENTRYPOINT) String> entryPoints,
        @Required @Size(min = 1) List<TcpRoute> routes,
        IngressRouteTCPTls tls) {
}
