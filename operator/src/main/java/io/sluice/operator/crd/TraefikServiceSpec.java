package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/**
 * The spec of a {@link TraefikService}, with Traefik's field names: exactly one of {@code weighted} and
 * {@code mirroring}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.weighted) != has(self.mirroring)",
        message = "exactly one of weighted and mirroring must be set")
public record TraefikServiceSpec(Weighted weighted, Mirroring mirroring) {

    /**
     * Splits requests over {@code services} by their {@code weight} (a service of weight 0 gets none).
     *
     * @param services Kubernetes Services (with Traefik's load-balancer fields) or other TraefikServices
     * @param sticky   null: each request picks again; else a cookie keeps a client on the service it got
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Weighted(@Required @Size(min = 1) List<ServiceRef> services, ServiceRef.Sticky sticky) {
    }

    /**
     * Sends every request to the main service (its answer is the client's) and a copy of {@code percent} % of them
     * to each mirror. The main service's fields are those of an IngressRoute service.
     *
     * @param maxBodySize bytes; a request with a larger body is not mirrored; null or negative means no limit
     * @param mirrorBody  accepted for compatibility; bodies are always mirrored (up to {@code maxBodySize})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(has(self.kind) && self.kind == 'TraefikService') || has(self.port)",
            message = "port is required for a Service")
    public record Mirroring(
            ServiceRef.Kind kind,
            @Required @Pattern(Names.DNS_SUBDOMAIN) String name,
            @Pattern(Names.DNS_LABEL) String namespace,
            IntOrString port,
            ServiceRef.Scheme scheme,
            Boolean passHostHeader,
            ServiceRef.Strategy strategy,
            ServiceRef.Sticky sticky,
            ServiceRef.HealthCheck healthCheck,
            ServiceRef.PassiveHealthCheck passiveHealthCheck,
            Long maxBodySize,
            Boolean mirrorBody,
            List<Mirror> mirrors) {

        /** The main service as an IngressRoute service reference. */
        public ServiceRef main() {
            return new ServiceRef(kind, name, namespace, port, null, scheme, passHostHeader, strategy, sticky,
                    healthCheck, passiveHealthCheck);
        }
    }

    /**
     * One mirror: a Kubernetes Service port or another TraefikService.
     *
     * @param percent share of the requests copied here, 0 to 100; null means 0
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(has(self.kind) && self.kind == 'TraefikService') || has(self.port)",
            message = "port is required for a Service")
    public record Mirror(
            ServiceRef.Kind kind,
            @Required @Pattern(Names.DNS_SUBDOMAIN) String name,
            @Pattern(Names.DNS_LABEL) String namespace,
            IntOrString port,
            ServiceRef.Scheme scheme,
            Boolean passHostHeader,
            ServiceRef.Strategy strategy,
            ServiceRef.HealthCheck healthCheck,
            ServiceRef.PassiveHealthCheck passiveHealthCheck,
            @Min(0) @Max(100) Integer percent) {

        /** The mirror as an IngressRoute service reference. */
        public ServiceRef target() {
            return new ServiceRef(kind, name, namespace, port, null, scheme, passHostHeader, strategy, null,
                    healthCheck, passiveHealthCheck);
        }
    }
}
