package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * A Kubernetes Service port that a route sends traffic to.
 *
 * @param kind           {@code Service} or {@code TraefikService}; null means Service
 * @param namespace      null means the IngressRoute's namespace
 * @param port           the Service port, by number or by name; required for a Service, unused for a
 *                       TraefikService
 * @param weight         share of the route's traffic when it has several services; null means 1
 * @param scheme         null means http
 * @param passHostHeader null means true
 * @param strategy       null means wrr
 * @param sticky         null disables sticky sessions
 * @param healthCheck    null: no active health check
 * @param passiveHealthCheck null: failed requests never take an endpoint out of rotation
 * @param serversTransport   for {@code https}: the name of a ServersTransport in the route's namespace (or
 *                           {@code <namespace>-<name>} of one elsewhere); null: verify against the proxy's
 *                           default trust store and the Service DNS name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.kind) && self.kind == 'TraefikService') || has(self.port)",
        message = "port is required for a Service")
public record ServiceRef(
        Kind kind,
        @Required @Pattern(Names.DNS_SUBDOMAIN) String name,
        @Pattern(Names.DNS_LABEL) String namespace,
        IntOrString port,
        @Min(0) Integer weight,
        Scheme scheme,
        Boolean passHostHeader,
        Strategy strategy,
        Sticky sticky,
        HealthCheck healthCheck,
        PassiveHealthCheck passiveHealthCheck,
        @Pattern(Names.DNS_SUBDOMAIN) String serversTransport) {

    /** The reference without a servers transport. */
    public ServiceRef(Kind kind, String name, String namespace, IntOrString port, Integer weight, Scheme scheme,
            Boolean passHostHeader, Strategy strategy, Sticky sticky, HealthCheck healthCheck,
            PassiveHealthCheck passiveHealthCheck) {
        this(kind, name, namespace, port, weight, scheme, passHostHeader, strategy, sticky, healthCheck,
                passiveHealthCheck, null);
    }

    /** The reference without health checks. */
    public ServiceRef(Kind kind, String name, String namespace, IntOrString port, Integer weight, Scheme scheme,
            Boolean passHostHeader, Strategy strategy, Sticky sticky) {
        this(kind, name, namespace, port, weight, scheme, passHostHeader, strategy, sticky, null, null, null);
    }

    /** What the reference points at. */
    public enum Kind {
        @JsonProperty("Service") SERVICE,
        @JsonProperty("TraefikService") TRAEFIK_SERVICE
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
     * @param maxAge seconds; null or 0 for a session cookie, negative to expire the cookie at once
     * @param path   the cookie's Path; null for {@code /}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cookie(
            @Pattern(Names.COOKIE_NAME) String name,
            Boolean secure,
            Boolean httpOnly,
            SameSite sameSite,
            Integer maxAge,
            @Pattern("^/.*$") String path) {

        /** A cookie with Path {@code /}. */
        public Cookie(String name, Boolean secure, Boolean httpOnly, SameSite sameSite, Integer maxAge) {
            this(name, secure, httpOnly, sameSite, maxAge, null);
        }
    }

    /** The cookie's SameSite attribute. */
    public enum SameSite {
        @JsonProperty("none") NONE,
        @JsonProperty("lax") LAX,
        @JsonProperty("strict") STRICT
    }

    /**
     * Active health check of the Service's endpoints (Traefik's field names). Each endpoint gets a {@code GET}
     * of {@code path} every {@code interval}; one that does not answer with {@code status} (any 2xx or 3xx when
     * unset) within {@code timeout} gets no traffic until it passes again.
     *
     * @param interval        a duration ({@code 10s}, {@code 500ms}, {@code 1m}) or seconds; null means 30s
     * @param timeout         a duration or seconds; null means 5s
     * @param scheme          {@code http} or {@code https}; null means the service's scheme. https probes speak TLS
     *                        with the service's ServersTransport settings
     * @param hostname        Host header sent, and the SNI of https probes; null means the endpoint's address
     * @param port            port to probe instead of the endpoint's
     * @param headers         extra request headers
     * @param followRedirects accepted for compatibility; redirects are never followed (a 3xx is the answer)
     * @param status          the one status that passes
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HealthCheck(
            @Required @Pattern("^/.*$") String path,
            IntOrString interval,
            IntOrString timeout,
            @Pattern("^(http|https)$") String scheme,
            String hostname,
            @Min(1) @Max(65535) Integer port,
            java.util.Map<String, String> headers,
            Boolean followRedirects,
            @Min(100) @Max(599) Integer status) {
    }

    /**
     * Passive health (Traefik's fields): an endpoint whose last {@code maxFailedAttempts} requests all failed
     * (connection refused or timed out, or a 5xx answer) within {@code failureWindow} gets no traffic until those
     * failures are older than the window.
     *
     * @param failureWindow     a duration or seconds; null means 10s
     * @param maxFailedAttempts null means 1; at most 32
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PassiveHealthCheck(IntOrString failureWindow, @Min(1) @Max(32) Integer maxFailedAttempts) {
    }
}
