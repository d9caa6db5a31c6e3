package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * A Kubernetes Service port that a route sends traffic to.
 *
 * @param kind           only {@code Service} (Traefik also has {@code TraefikService}); null means Service
 * @param namespace      null means the IngressRoute's namespace
 * @param port           the Service port, by number or by name
 * @param weight         share of the route's traffic when it has several services; null means 1
 * @param scheme         null means http
 * @param passHostHeader null means true
 * @param strategy       null means wrr
 * @param sticky         null disables sticky sessions
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceRef(
        Kind kind,
        @Required @Pattern(Names.DNS_SUBDOMAIN) String name,
        @Pattern(Names.DNS_LABEL) String namespace,
        @Required IntOrString port,
        @Min(0) Integer weight,
        Scheme scheme,
        Boolean passHostHeader,
        Strategy strategy,
        Sticky sticky) {

    /** What the reference points at. */
    public enum Kind {
        @JsonProperty("Service") SERVICE
    }

    /** How the proxy talks to the endpoints. */
    public enum Scheme {
        @JsonProperty("http") HTTP,
        @JsonProperty("https") HTTPS,
        @JsonProperty("h2c") H2C
    }

    /** Load-balancing strategy: smooth weighted round robin or power of two choices. */
    public enum Strategy {
        @JsonProperty("wrr") WRR,
        @JsonProperty("p2c") P2C
    }

    /** Sticky sessions; only cookie stickiness exists. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sticky(@Required Cookie cookie) {
    }

    /**
     * The sticky-session cookie.
     *
     * @param name   null derives a name from the service
     * @param maxAge seconds; null for a session cookie
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cookie(
            @Pattern(Names.COOKIE_NAME) String name,
            Boolean secure,
            Boolean httpOnly,
            SameSite sameSite,
            @Min(0) Integer maxAge) {
    }

    /** The cookie's SameSite attribute. */
    public enum SameSite {
        @JsonProperty("none") NONE,
        @JsonProperty("lax") LAX,
        @JsonProperty("strict") STRICT
    }
}
