package io.sluice.proxy.middleware;

import io.netty.util.AsciiString;
import java.util.List;

/**
 * Traefik {@code stripPrefix}: removes the first listed prefix the path starts with and tells the backend what
 * was removed in {@code X-Forwarded-Prefix}, so it can build links that still work through the proxy.
 */
public final class StripPrefixMiddleware implements HttpMiddleware {
    static final String FORWARDED_PREFIX = "X-Forwarded-Prefix";
    private static final AsciiString FORWARDED_PREFIX_NAME = AsciiString.cached(FORWARDED_PREFIX);
    /** The configured prefixes without their trailing slash (except "/" itself), in order. */
    private final String[] prefixes;

    public StripPrefixMiddleware(List<String> prefixes) {
        this.prefixes = prefixes.stream()
                .map(prefix -> prefix.endsWith("/") && prefix.length() > 1
                        ? prefix.substring(0, prefix.length() - 1) : prefix)
                .toArray(String[]::new);
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        String path = request.path();
        for (String p : prefixes) {
            if (path.startsWith(p)) {
                request.path(path.substring(p.length()));
                request.headers().set(FORWARDED_PREFIX_NAME, p);
                return null;
            }
        }
        return null;
    }
}
