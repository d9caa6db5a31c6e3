package io.sluice.proxy.middleware;

import java.util.List;

/**
 * Traefik {@code stripPrefix}: removes the first listed prefix the path starts with and tells the backend what
 * was removed in {@code X-Forwarded-Prefix}, so it can build links that still work through the proxy.
 */
public final class StripPrefixMiddleware implements HttpMiddleware {
    static final String FORWARDED_PREFIX = "X-Forwarded-Prefix";
    private final List<String> prefixes;

    public StripPrefixMiddleware(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        String path = request.path();
        for (String prefix : prefixes) {
            String p = prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix;
            if (path.startsWith(p)) {
                request.path(path.substring(p.length()));
                request.headers().set(FORWARDED_PREFIX, p);
                return null;
            }
        }
        return null;
    }
}
