package io.sluice.operator.translate;

import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.Route;
import io.sluice.operator.crd.ServiceRef;
import io.sluice.snapshot.HealthCheck;
import io.sluice.snapshot.PassiveHealthCheck;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RouterTls;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.Sticky;
import io.sluice.snapshot.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates IngressRoutes: each route becomes a router with its Traefik rule; one service becomes a load
 * balancer, several a weighted service over load balancers. A route with an invalid rule is left out; a route
 * whose middlewares cannot be used fails closed (503); a missing Service gives a load balancer without endpoints.
 */
final class IngressRouteTranslator {
    private static final Pattern HOST = Pattern.compile("Host\\(\\s*`([^`]*)`");

    private final TranslationOptions options;
    private final BackendResolver backends;
    private final ServersTransports transports;
    private final Tls tls;
    private final TlsOptionsTranslator tlsOptions;
    private final MiddlewareRefs middlewareRefs;
    private final Function<String, Optional<String>> ruleCheck;

    /** @param ruleCheck returns why a rule is invalid, or empty when it parses */
    IngressRouteTranslator(TranslationOptions options, BackendResolver backends, Tls tls, MiddlewareRefs refs,
            Function<String, Optional<String>> ruleCheck, TlsOptionsTranslator tlsOptions,
            ServersTransports transports) {
        this.tlsOptions = tlsOptions;
        this.options = options;
        this.backends = backends;
        this.transports = transports;
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
                opts = tlsOptions.resolve(ns, t.options().namespace(), t.options().name(), optionProblems);
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
            String where = field + ".services[" + s + "]";
            String svcNs = ref.namespace() == null || ref.namespace().isEmpty() ? ns : ref.namespace();
            String id = refs.size() == 1 ? routeId : routeId + "/" + s;
            List<io.sluice.snapshot.Endpoint> endpoints = List.of();
            if (!svcNs.equals(ns) && !options.allowCrossNamespace()) {
                problems.add(new String[] {where, "Service " + svcNs + "/" + ref.name() + " is in another namespace"
                        + " and cross-namespace references are not allowed; requests get 503"});
            } else if (ref.port() == null) {
                problems.add(new String[] {where + ".port", "port is required; requests get 503"});
            } else {
                BackendResolver.Backend b = backends.resolve(svcNs, ref.name(), ref.port());
                if (b.error() != null) {
                    problems.add(new String[] {where, b.error() + "; requests get 503"});
                }
                endpoints = b.endpoints();
            }
            List<String[]> checkProblems = new ArrayList<>();
            HealthCheck healthCheck = HealthChecks.translate(ref.healthCheck(), checkProblems);
            PassiveHealthCheck passive = HealthChecks.translatePassive(ref.passiveHealthCheck(), checkProblems);
            checkProblems.forEach(p -> draft.problem(owner, where + p[0], p[1]));
            Service.LoadBalancer lb = new Service.LoadBalancer(id, endpoints,
                    scheme(ref.scheme()), ref.passHostHeader() == null || ref.passHostHeader(),
                    ref.strategy() == ServiceRef.Strategy.P2C ? Strategy.P2C : Strategy.WRR, sticky(ref, id),
                    healthCheck, null, passive);
            draft.service(transports.apply(lb, ns, ref.serversTransport(), ref.name() + "." + svcNs + ".svc", owner,
                    where + ".serversTransport", (f, m) -> problems.add(new String[] {f, m}), draft));
            targets.add(new Service.WeightedTarget(id, ref.weight() == null ? 1 : ref.weight()));
        }
        if (refs.size() == 1) {
            return routeId;
        }
        draft.service(new Service.Weighted(routeId, targets, null));
        return routeId;
    }

    private static Scheme scheme(ServiceRef.Scheme scheme) {
        if (scheme == null) {
            return Scheme.HTTP;
        }
        return switch (scheme) {
            case HTTPS -> Scheme.HTTPS;
            case H2C -> Scheme.H2C;
            default -> Scheme.HTTP;
        };
    }

    private static Sticky sticky(ServiceRef ref, String serviceId) {
        if (ref.sticky() == null || ref.sticky().cookie() == null) {
            return null;
        }
        ServiceRef.Cookie c = ref.sticky().cookie();
        return new Sticky(c.name() == null ? CookieNames.derive(serviceId) : c.name(), Boolean.TRUE.equals(c.secure()),
                Boolean.TRUE.equals(c.httpOnly()),
                c.sameSite() == null ? null : c.sameSite().name().toLowerCase(java.util.Locale.ROOT), c.maxAge(),
                c.path());
    }
}
