package io.sluice.snapshot;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/** Where a router sends its requests. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Service.LoadBalancer.class, name = "loadBalancer"),
    @JsonSubTypes.Type(value = Service.Weighted.class, name = "weighted"),
    @JsonSubTypes.Type(value = Service.Mirroring.class, name = "mirroring")
})
public sealed interface Service {

    String id();

    /**
     * Balances over the endpoints of one Kubernetes Service port.
     *
     * @param sticky      null when sessions are not sticky
     * @param healthCheck null when there is no active health check
     * @param timeouts    null to use the proxy defaults
     * @param passiveHealthCheck null: endpoints are not ejected on failed exchanges
     * @param tls         how to speak TLS to {@code https} endpoints; null: verify against the JVM trust store
     */
    record LoadBalancer(
            String id,
            List<Endpoint> endpoints,
            Scheme scheme,
            boolean passHostHeader,
            Strategy strategy,
            Sticky sticky,
            HealthCheck healthCheck,
            Timeouts timeouts,
            PassiveHealthCheck passiveHealthCheck,
            UpstreamTls tls) implements Service {
        public LoadBalancer {
            Objects.requireNonNull(id, "id");
            endpoints = Lists.copy(endpoints);
            scheme = scheme == null ? Scheme.HTTP : scheme;
            strategy = strategy == null ? Strategy.WRR : strategy;
        }

        /** Without upstream TLS settings. */
        public LoadBalancer(String id, List<Endpoint> endpoints, Scheme scheme, boolean passHostHeader,
                Strategy strategy, Sticky sticky, HealthCheck healthCheck, Timeouts timeouts,
                PassiveHealthCheck passiveHealthCheck) {
            this(id, endpoints, scheme, passHostHeader, strategy, sticky, healthCheck, timeouts, passiveHealthCheck,
                    null);
        }

        /** Without passive health. */
        public LoadBalancer(String id, List<Endpoint> endpoints, Scheme scheme, boolean passHostHeader,
                Strategy strategy, Sticky sticky, HealthCheck healthCheck, Timeouts timeouts) {
            this(id, endpoints, scheme, passHostHeader, strategy, sticky, healthCheck, timeouts, null);
        }

        /** A plain HTTP load balancer with the defaults (host header passed, weighted round robin). */
        public static LoadBalancer of(String id, List<Endpoint> endpoints) {
            return new LoadBalancer(id, endpoints, Scheme.HTTP, true, Strategy.WRR, null, null, null);
        }

        public LoadBalancer withEndpoints(List<Endpoint> newEndpoints) {
            return new LoadBalancer(id, newEndpoints, scheme, passHostHeader, strategy, sticky, healthCheck, timeouts,
                    passiveHealthCheck, tls);
        }
    }

    /** Splits traffic across other services by weight (canaries, blue/green). */
    record Weighted(String id, List<WeightedTarget> services, Sticky sticky) implements Service {
        public Weighted {
            Objects.requireNonNull(id, "id");
            services = Lists.copy(services);
        }
    }

    /** Sends every request to {@code service} and a copy of a share of them to each mirror. */
    record Mirroring(String id, String service, List<MirrorTarget> mirrors, long maxBodySize) implements Service {
        public Mirroring {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(service, "service");
            mirrors = Lists.copy(mirrors);
        }
    }

    record WeightedTarget(String service, int weight) {
        public WeightedTarget {
            Objects.requireNonNull(service, "service");
        }
    }

    record MirrorTarget(String service, int percent) {
        public MirrorTarget {
            Objects.requireNonNull(service, "service");
        }
    }
}
