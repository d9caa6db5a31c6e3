package io.sluice.proxy.router;

import io.sluice.snapshot.RouteMatch;
import java.util.Locale;

/**
 * A Kubernetes Ingress host and path with the Ingress semantics: {@code Exact} compares the whole path;
 * {@code Prefix} compares {@code /}-separated elements, ignoring a trailing slash in the pattern ({@code /foo}
 * takes {@code /foo}, {@code /foo/} and {@code /foo/bar}, never {@code /foobar}; {@code /} takes everything). A
 * host {@code *.example.com} takes exactly one extra label; hosts compare case-insensitively; no host takes all.
 */
final class IngressPathMatcher implements RequestMatcher {
    private final String host;
    private final String wildcardSuffix;
    private final String path;
    private final boolean exact;

    IngressPathMatcher(RouteMatch.IngressPath ingressPath) {
        String h = ingressPath.host() == null ? null : ingressPath.host().toLowerCase(Locale.ROOT);
        if (h != null && h.startsWith("*.")) {
            this.host = null;
            this.wildcardSuffix = h.substring(1);
        } else {
            this.host = h;
            this.wildcardSuffix = null;
        }
        this.exact = ingressPath.pathType() == RouteMatch.PathType.EXACT;
        this.path = exact ? ingressPath.path() : withoutTrailingSlashes(ingressPath.path());
    }

    /** The pattern's path without trailing slashes, so {@code /} becomes the empty prefix that takes all. */
    static String withoutTrailingSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /** The literal host, lower-cased, or null for a wildcard or no host. */
    String literalHost() {
        return host;
    }

    /** For {@code *.example.com}, {@code example.com}; otherwise null. */
    String wildcardDomain() {
        return wildcardSuffix == null ? null : wildcardSuffix.substring(1);
    }

    @Override
    public boolean matches(RequestView request) {
        return hostMatches(request.host()) && pathMatches(request.path());
    }

    private boolean hostMatches(String requestHost) {
        if (host != null) {
            return host.equalsIgnoreCase(requestHost);
        }
        if (wildcardSuffix == null) {
            return true;
        }
        int labelEnd = requestHost.length() - wildcardSuffix.length();
        return labelEnd > 0
                && requestHost.regionMatches(true, labelEnd, wildcardSuffix, 0, wildcardSuffix.length())
                && requestHost.lastIndexOf('.', labelEnd - 1) < 0;
    }

    private boolean pathMatches(String requestPath) {
        if (exact) {
            return path.equals(requestPath);
        }
        int length = path.length();
        return requestPath.startsWith(path)
                && (requestPath.length() == length || requestPath.charAt(length) == '/');
    }
}
