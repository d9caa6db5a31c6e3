package io.sluice.proxy.middleware;

import io.sluice.proxy.entrypoint.PathNormalizer;
import java.util.Map;

/**
 * Checks a path that a regex rewrite produced before it goes into the upstream request line. The rewrite mixes the
 * configured replacement with parts of the client's path, so the result is treated like a new request path: only
 * RFC 3986 path characters ({@code pchar}, {@code /}, valid {@code %XX}) are allowed, an encoded slash or backslash
 * is refused, and it is normalized by the same rules as an incoming path (dot segments removed). A space, CR, LF,
 * {@code ?} or {@code #} can therefore never reach the request line.
 */
final class RewrittenPath {
    private final PathNormalizer normalizer = new PathNormalizer(true);

    /** The normalized path, or null when the rewrite produced a path that must not be sent. */
    String check(String rewritten) {
        String path = rewritten.startsWith("/") ? rewritten : "/" + rewritten;
        for (int i = 0; i < path.length(); i++) {
            if (!allowed(path.charAt(i))) {
                return null;
            }
        }
        return normalizer.normalize(path);
    }

    /** The answer for a request whose rewritten path was refused. */
    static Answer refused() {
        return new Answer(400, Map.of(), "bad path after rewrite");
    }

    private static boolean allowed(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+,;=:@/%".indexOf(c) >= 0;
    }
}
