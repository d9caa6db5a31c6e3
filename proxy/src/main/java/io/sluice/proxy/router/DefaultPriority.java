package io.sluice.proxy.router;

import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import java.nio.charset.StandardCharsets;

/**
 * The priority a router gets when its own is 0.
 *
 * <ul>
 *   <li>A Traefik rule: the rule's length in UTF-8 bytes, as Traefik computes it.</li>
 *   <li>An Ingress path: {@code 8 * length(path) + 4 * (Exact ? 1 : 0) + 2 * (literal host ? 1 : 0)
 *       + (wildcard host ? 1 : 0)}, where {@code path} is the pattern as matched (a {@code Prefix} path without
 *       its trailing slash). So the longest path wins, {@code Exact} beats {@code Prefix} at equal length, and at
 *       equal path a literal host beats a wildcard host, which beats no host.</li>
 * </ul>
 */
final class DefaultPriority {

    private DefaultPriority() {
    }

    static long of(Router router) {
        if (router.priority() != 0) {
            return router.priority();
        }
        RouteMatch match = router.match();
        if (match instanceof RouteMatch.Rule) {
            return ((RouteMatch.Rule) match).expression().getBytes(StandardCharsets.UTF_8).length;
        }
        RouteMatch.IngressPath ingress = (RouteMatch.IngressPath) match;
        boolean exact = ingress.pathType() == RouteMatch.PathType.EXACT;
        String path = exact ? ingress.path() : IngressPathMatcher.withoutTrailingSlashes(ingress.path());
        int hostScore = ingress.host() == null ? 0 : ingress.host().startsWith("*.") ? 1 : 2;
        return 8L * path.length() + (exact ? 4 : 0) + hostScore;
    }
}
