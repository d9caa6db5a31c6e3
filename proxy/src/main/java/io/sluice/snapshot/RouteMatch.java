package io.sluice.snapshot;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/** What requests a router takes. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RouteMatch.Rule.class, name = "rule"),
    @JsonSubTypes.Type(value = RouteMatch.IngressPath.class, name = "ingressPath")
})
public sealed interface RouteMatch {

    /**
     * A Traefik v3 rule expression, for example {@code Host(`a.example.com`) && PathPrefix(`/api`)}.
     */
    record Rule(String expression) implements RouteMatch {
        public Rule {
            Objects.requireNonNull(expression, "expression");
        }
    }

    /**
     * A Kubernetes Ingress path, with the Ingress semantics exactly: {@code Prefix} matches element-wise
     * ({@code /foo} matches {@code /foo} and {@code /foo/bar}, never {@code /foobar}); a wildcard host
     * {@code *.example.com} matches exactly one label; hosts compare case-insensitively; the port in the
     * Host header is ignored.
     *
     * @param host null or empty matches every host
     */
    record IngressPath(String host, String path, PathType pathType) implements RouteMatch {
        public IngressPath {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(pathType, "pathType");
            host = host == null || host.isEmpty() ? null : host;
        }
    }

    /** Ingress path types; {@code ImplementationSpecific} is translated to {@link #PREFIX}. */
    enum PathType {
        EXACT,
        PREFIX
    }
}
