package io.sluice.proxy.admin;

import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import java.util.List;

/**
 * One route as the debug view shows it. Only routing facts: no certificates, keys or basic-auth users can be
 * put in one, so the debug view cannot leak them.
 */
public record RouteSummary(String id, List<String> entryPoints, String match, int priority,
        List<String> middlewares, String service, boolean tls) {

    public RouteSummary {
        entryPoints = List.copyOf(entryPoints);
        middlewares = List.copyOf(middlewares);
    }

    public static RouteSummary of(Router router) {
        String match;
        if (router.match() instanceof RouteMatch.Rule rule) {
            match = rule.expression();
        } else {
            RouteMatch.IngressPath p = (RouteMatch.IngressPath) router.match();
            match = (p.host() == null ? "*" : p.host()) + " " + p.pathType() + " " + p.path();
        }
        return new RouteSummary(router.id(), router.entryPoints(), match, router.priority(), router.middlewares(),
                router.service(), router.tls() != null);
    }
}
