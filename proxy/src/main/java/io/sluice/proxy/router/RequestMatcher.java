package io.sluice.proxy.router;

/**
 * A compiled predicate over a request: one Traefik rule, one Kubernetes Ingress path, or a part of either.
 * Implementations are immutable and thread-safe, and {@link #matches} does not allocate for the common matchers
 * (host, path, method, headers), so the router can call it on every request.
 */
public interface RequestMatcher {

    /** Whether this request satisfies the matcher. */
    boolean matches(RequestView request);
}
