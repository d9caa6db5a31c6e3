package io.sluice.operator.translate;

import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.Route;
import io.sluice.operator.crd.ServiceRef;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RouterTls;
import io.sluice.snapshot.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates IngressRoutes: each route becomes a router with its Traefik rule; one service becomes a load
 * balancer (or the TraefikService it names), several a weighted service over them ({@link ServiceTargets}). A route with an invalid rule is left out; a route
 * whose middlewares cannot be used fails closed (503); a missing Service gives a load balancer without endpoints.
 */
final class IngressRouteTranslator {
    private static final Pattern HOST = Pattern.compile("Host\\(\\s*`([^`]*)`");

    private final TranslationOptions options;
    private final ServiceTargets services;
    private final Tls tls;
    private final TlsOptionsTranslator tlsOptions;
    private final MiddlewareRefs middlewareRefs;
    private final Function<String, Optional<String>> ruleCheck;

    /** @param ruleCheck returns why a rule is invalid, or empty when it parses */
    IngressRouteTranslator(TranslationOptions options, ServiceTargets services, Tls tls, MiddlewareRefs refs,
            Function<String, Optional<String>> ruleCheck, TlsOptionsTranslator tlsOptions) {
        this.tlsOptions = tlsOptions;
        this.options = options;
        this.services = services;
        this.tls = tls;
        this.middlewareRefs = refs;
        this.ruleCheck = ruleCheck;
    }

    void translate(IngressRoute ir, SnapshotDraft draft) {
        ObjectRef ref = ObjectRef.of(ir);
        String ns = ir.getMetadata().getNamespace();
        String base = "ingressroute/" + ns + "/" + ir.getMetadata().getName();
        List<String> routerIds = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        boolean resolved = true;
        if (ir.getSpec() == null || ir.getSpec().routes() == null || ir.getSpec().routes().isEmpty()) {
            draft.problem(ref, "spec.routes", "at least one route is required");
            draft.status(ir, false, true, List.of(), List.of());
            return;
        }
        RouterTls routerTls = null;
        if (ir.getSpec().tls() != null) {
            var t = ir.getSpec().tls();
            String cert = null;
            if (t.secretName() != null) {
                cert = tls.certificate(ns, t.secretName(), ref, "spec.tls.secretName", draft);
                resolved &= cert != null;
            }
            String opts = null;
            if (t.options() != null) {
                List<String> optionProblems = new ArrayList<>();
                opts = tlsOptions.resolve(ns, t.options().namespace(), t.options().name(), optionProblems,
                        draft);
                if (opts == null) {
                    optionProblems.forEach(p -> draft.problem(ref, "spec.tls.options",
                            p + "; routes not served rather than served with other TLS settings"));
                    draft.status(ir, false, false, List.of(), List.of());
                    return;
                }
            }
            routerTls = new RouterTls(cert, opts);
        }
        List<String> entryPoints = ir.getSpec().entryPoints() == null || ir.getSpec().entryPoints().isEmpty()
                ? options.defaultEntryPoints() : ir.getSpec().entryPoints();
        for (int r = 0; r < ir.getSpec().routes().size(); r++) {
            Route route = ir.getSpec().routes().get(r);
            String field = "spec.routes[" + r + "]";
            String id = base + "/" + r;
            Optional<String> ruleProblem = route.match() == null || route.match().isBlank()
                    ? Optional.of("match is empty") : ruleCheck.apply(route.match());
            if (ruleProblem.isPresent()) {
                draft.problem(ref, field + ".match", ruleProblem.get() + "; route not served");
                continue;
            }
            Matcher m = HOST.matcher(route.match());
            while (m.find()) {
                hosts.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
            }
            List<String[]> refProblems = new ArrayList<>();
            List<String> middlewares = middlewareRefs.resolveRoute(ns,
                    route.middlewares() == null ? List.of() : route.middlewares(), field + ".middlewares",
                    refProblems);
            String service = services(ns, id, route.services(), field, ref, refProblems, draft);
            for (String[] p : refProblems) {
                draft.problem(ref, p[0], p[1]);
            }
            resolved &= refProblems.isEmpty();
            if (service == null) {
                continue;
            }
            int priority = route.priority() == null ? 0 : route.priority();
            draft.router(new Router(id, entryPoints, new RouteMatch.Rule(route.match()), priority,
                    middlewares == null ? List.of() : middlewares,
                    middlewares == null ? draft.unavailableService() : service, routerTls));
            routerIds.add(id);
        }
        draft.status(ir, !routerIds.isEmpty(), resolved, routerIds, hosts);
    }

    /** Adds the route's services to the draft and returns the id the router points at; null if none is usable. */
    private String services(String ns, String routeId, List<ServiceRef> refs, String field, ObjectRef owner,
            List<String[]> problems, SnapshotDraft draft) {
        if (refs == null || refs.isEmpty()) {
            draft.problem(owner, field + ".services", "at least one service is required; route not served");
            return null;
        }
        List<Service.WeightedTarget> targets = new ArrayList<>();
        for (int s = 0; s < refs.size(); s++) {
            ServiceRef ref = refs.get(s);
            String id = refs.size() == 1 ? routeId : routeId + "/" + s;
            String target = services.target(ns, ref, id, field + ".services[" + s + "]", owner, problems, draft);
            if (refs.size() == 1) {
                return target;
            }
            targets.add(new Service.WeightedTarget(target, ref.weight() == null ? 1 : ref.weight()));
        }
        draft.service(new Service.Weighted(routeId, targets, null));
        return routeId;
    }
}
