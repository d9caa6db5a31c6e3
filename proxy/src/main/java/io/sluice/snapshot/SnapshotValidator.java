package io.sluice.snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Structural checks of a snapshot. Names every problem it finds, each prefixed with the object it concerns
 * ({@code router web-1: unknown service "x"}). Rule syntax is checked later by the router compiler.
 */
public final class SnapshotValidator {

    public List<String> validate(RoutingSnapshot snapshot) {
        List<String> problems = new ArrayList<>();
        Map<String, Service> services = index(snapshot.services(), Service::id, "service", problems);
        Map<String, Middleware> middlewares = index(snapshot.middlewares(), Middleware::id, "middleware", problems);
        Map<String, Certificate> certificates =
                index(snapshot.certificates(), Certificate::id, "certificate", problems);
        index(snapshot.routers(), Router::id, "router", problems);

        for (Router router : snapshot.routers()) {
            validateRouter(router, services, middlewares, certificates, problems);
        }
        for (Service service : snapshot.services()) {
            validateService(service, services, problems);
            validateUpstreamTls(service, certificates, problems);
        }
        for (Middleware middleware : snapshot.middlewares()) {
            validateMiddleware(middleware, middlewares, problems);
            validateUpstreamMiddleware(middleware, services, problems);
        }
        validateTls(snapshot, certificates, problems);
        new TcpRouteValidator().validate(snapshot, problems);
        return List.copyOf(problems);
    }

    /**
     * A TLS spec only on {@code https} services or services whose health check probes over https, naming a
     * certificate the snapshot carries.
     */
    private static void validateUpstreamTls(Service service, Map<String, Certificate> certificates,
            List<String> problems) {
        if (!(service instanceof Service.LoadBalancer lb) || lb.tls() == null) {
            return;
        }
        String where = "service " + service.id() + ": ";
        UpstreamTls tls = lb.tls();
        boolean httpsProbe = lb.healthCheck() != null && "https".equals(lb.healthCheck().scheme());
        if (lb.scheme() != Scheme.HTTPS && !httpsProbe) {
            problems.add(where + "tls is set but the scheme is " + lb.scheme().name().toLowerCase(Locale.ROOT));
        }
        if (tls.serverName() != null && !tls.serverName().matches("[A-Za-z0-9.:_-]+")) {
            problems.add(where + "invalid tls server name \"" + tls.serverName() + "\"");
        }
        if (tls.clientCertificate() != null && !certificates.containsKey(tls.clientCertificate())) {
            problems.add(where + "unknown client certificate \"" + tls.clientCertificate() + "\"");
        }
        for (String pem : tls.rootCas()) {
            if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
                problems.add(where + "a root CA is not a PEM certificate");
            }
        }
    }

    private static void validateRouter(Router router, Map<String, Service> services,
            Map<String, Middleware> middlewares, Map<String, Certificate> certificates, List<String> problems) {
        String where = "router " + router.id() + ": ";
        if (!services.containsKey(router.service())) {
            problems.add(where + "unknown service \"" + router.service() + "\"");
        }
        for (String m : router.middlewares()) {
            if (!middlewares.containsKey(m)) {
                problems.add(where + "unknown middleware \"" + m + "\"");
            }
        }
        for (String ep : router.entryPoints()) {
            if (ep.isBlank()) {
                problems.add(where + "blank entrypoint name");
            }
        }
        if (router.tls() != null && router.tls().certificate() != null
                && !certificates.containsKey(router.tls().certificate())) {
            problems.add(where + "unknown certificate \"" + router.tls().certificate() + "\"");
        }
        if (router.match() instanceof RouteMatch.IngressPath p) {
            if (!p.path().startsWith("/")) {
                problems.add(where + "path \"" + p.path() + "\" must start with /");
            }
            if (p.host() != null && !HostNames.isValidPattern(p.host())) {
                problems.add(where + "invalid host \"" + p.host() + "\"");
            }
        } else if (router.match() instanceof RouteMatch.Rule r && r.expression().isBlank()) {
            problems.add(where + "empty rule");
        }
    }

    private static void validateService(Service service, Map<String, Service> services, List<String> problems) {
        String where = "service " + service.id() + ": ";
        if (service instanceof Service.LoadBalancer lb) {
                for (Endpoint e : lb.endpoints()) {
                    if (e.port() < 1 || e.port() > 65535) {
                        problems.add(where + "endpoint " + e.address() + " has invalid port " + e.port());
                    }
                    if (e.weight() < 0) {
                        problems.add(where + "endpoint " + e.authority() + " has negative weight");
                    }
                    if (e.address().isBlank()) {
                        problems.add(where + "endpoint with empty address");
                    }
                }
                validateSticky(lb.sticky(), where, problems);
                if (lb.healthCheck() != null) {
                    validateHealthCheck(lb.healthCheck(), where, problems);
                }
                PassiveHealthCheck passive = lb.passiveHealthCheck();
                if (passive != null && (passive.failureWindowMillis() <= 0 || passive.maxFailedAttempts() < 1
                        || passive.maxFailedAttempts() > PassiveHealthCheck.MAX_FAILED_ATTEMPTS)) {
                    problems.add(where + "passive health check needs failureWindow > 0 and maxFailedAttempts 1.."
                            + PassiveHealthCheck.MAX_FAILED_ATTEMPTS);
                }
        } else if (service instanceof Service.Weighted w) {
                if (w.services().isEmpty()) {
                    problems.add(where + "weighted service has no services");
                }
                validateSticky(w.sticky(), where, problems);
                for (Service.WeightedTarget t : w.services()) {
                    if (!services.containsKey(t.service())) {
                        problems.add(where + "unknown service \"" + t.service() + "\"");
                    }
                    if (t.weight() < 0) {
                        problems.add(where + "negative weight for \"" + t.service() + "\"");
                    }
                }
        } else if (service instanceof Service.Mirroring m) {
                if (!services.containsKey(m.service())) {
                    problems.add(where + "unknown service \"" + m.service() + "\"");
                }
                for (Service.MirrorTarget t : m.mirrors()) {
                    if (!services.containsKey(t.service())) {
                        problems.add(where + "unknown mirror service \"" + t.service() + "\"");
                    }
                    if (t.percent() < 0 || t.percent() > 100) {
                        problems.add(where + "mirror percent must be 0..100, got " + t.percent());
                    }
                }
        }
        if (reaches(service.id(), service, services, new HashSet<>())) {
            problems.add(where + "service refers to itself (cycle)");
        }
    }

    private static void validateSticky(Sticky sticky, String where, List<String> problems) {
        if (sticky == null) {
            return;
        }
        if (sticky.cookieName().isBlank()) {
            problems.add(where + "sticky cookie name is empty");
        }
        if (sticky.sameSite() != null && !List.of("none", "lax", "strict").contains(sticky.sameSite())) {
            problems.add(where + "sticky cookie sameSite must be none, lax or strict");
        }
        if (sticky.path() != null && !sticky.path().startsWith("/")) {
            problems.add(where + "sticky cookie path must start with /");
        }
    }

    private static void validateHealthCheck(HealthCheck check, String where, List<String> problems) {
        if (check.intervalMillis() <= 0) {
            problems.add(where + "health check interval must be > 0");
        }
        if (check.timeoutMillis() <= 0) {
            problems.add(where + "health check timeout must be > 0");
        }
        if (!check.path().startsWith("/")) {
            problems.add(where + "health check path must start with /");
        }
        if (check.scheme() != null && !check.scheme().equals("http") && !check.scheme().equals("https")) {
            problems.add(where + "health check scheme " + check.scheme() + " is not supported (http or https)");
        }
        if (check.expectedStatus() != null && (check.expectedStatus() < 100 || check.expectedStatus() > 599)) {
            problems.add(where + "health check status must be 100..599");
        }
        if (check.port() != null && (check.port() < 1 || check.port() > 65535)) {
            problems.add(where + "health check port must be 1..65535");
        }
    }

    /** True if following weighted and mirroring references from {@code from} leads back to {@code target}. */
    private static boolean reaches(String target, Service from, Map<String, Service> services, Set<String> seen) {
        for (String next : children(from)) {
            if (next.equals(target)) {
                return true;
            }
            Service child = services.get(next);
            if (child != null && seen.add(next) && reaches(target, child, services, seen)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> children(Service service) {
        if (service instanceof Service.Weighted w) {
            return w.services().stream().map(Service.WeightedTarget::service).toList();
        }
        if (service instanceof Service.Mirroring m) {
            List<String> all = new ArrayList<>();
            all.add(m.service());
            m.mirrors().forEach(t -> all.add(t.service()));
            return all;
        }
        return List.of();
    }

    private static void validateMiddleware(Middleware middleware, Map<String, Middleware> all,
            List<String> problems) {
        String where = "middleware " + middleware.id() + ": ";
        MiddlewareSpec spec = middleware.spec();
        if (spec instanceof MiddlewareSpec.Chain c) {
            for (String m : c.middlewares()) {
                if (!all.containsKey(m)) {
                    problems.add(where + "unknown middleware \"" + m + "\" in chain");
                }
            }
            if (chainReaches(middleware.id(), c, all, new HashSet<>())) {
                problems.add(where + "chain refers to itself (cycle)");
            }
        } else if (spec instanceof MiddlewareSpec.RateLimit r) {
            if (r.average() < 0 || r.burst() < 0) {
                problems.add(where + "average and burst must be >= 0");
            }
            if (r.periodMillis() <= 0) {
                problems.add(where + "period must be > 0");
            }
        } else if (spec instanceof MiddlewareSpec.AddPrefix a && !a.prefix().startsWith("/")) {
            problems.add(where + "prefix must start with /");
        } else if (spec instanceof MiddlewareSpec.ReplacePath r && !r.path().startsWith("/")) {
            problems.add(where + "path must start with /");
        } else if (spec instanceof MiddlewareSpec.RedirectScheme r
                && !r.scheme().equals("http") && !r.scheme().equals("https")) {
            problems.add(where + "scheme must be http or https");
        } else if (spec instanceof MiddlewareSpec.BasicAuth b && b.users().isEmpty()) {
            problems.add(where + "basicAuth has no users");
        } else if (spec instanceof MiddlewareSpec.IpAllowList i && i.sourceRange().isEmpty()) {
            problems.add(where + "ipAllowList has no sourceRange");
        } else if (spec instanceof MiddlewareSpec.StripPrefix sp && sp.prefixes().isEmpty()) {
            problems.add(where + "stripPrefix has no prefixes");
        }
    }

    /** The middlewares that talk to other services themselves: what they call must exist and parse. */
    private static void validateUpstreamMiddleware(Middleware middleware, Map<String, Service> services,
            List<String> problems) {
        String where = "middleware " + middleware.id() + ": ";
        MiddlewareSpec spec = middleware.spec();
        if (spec instanceof MiddlewareSpec.Errors e) {
            if (!services.containsKey(e.service())) {
                problems.add(where + "unknown service \"" + e.service() + "\" for error pages");
            }
            if (e.status().isEmpty()) {
                problems.add(where + "errors has no status");
            }
            for (String range : e.status()) {
                if (!range.matches("[1-5][0-9][0-9](-[1-5][0-9][0-9])?")) {
                    problems.add(where + "status \"" + range + "\" is not a code or a range like 500-599");
                }
            }
        } else if (spec instanceof MiddlewareSpec.ForwardAuth f
                && !f.address().startsWith("http://") && !f.address().startsWith("https://")) {
            problems.add(where + "forwardAuth address must be an http:// or https:// URL");
        }
    }

    private static boolean chainReaches(String target, MiddlewareSpec.Chain chain, Map<String, Middleware> all,
            Set<String> seen) {
        for (String next : chain.middlewares()) {
            if (next.equals(target)) {
                return true;
            }
            Middleware child = all.get(next);
            if (child != null && child.spec() instanceof MiddlewareSpec.Chain c && seen.add(next)
                    && chainReaches(target, c, all, seen)) {
                return true;
            }
        }
        return false;
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> id, String kind,
            List<String> problems) {
        Map<String, T> byId = new HashMap<>();
        for (T item : items) {
            if (byId.putIfAbsent(id.apply(item), item) != null) {
                problems.add(kind + " " + id.apply(item) + ": duplicate id");
            }
        }
        return byId;
    }

    private static void validateTls(RoutingSnapshot snapshot, Map<String, Certificate> certificates,
            List<String> problems) {
        if (snapshot.defaultCertificate() != null && !certificates.containsKey(snapshot.defaultCertificate())) {
            problems.add("defaultCertificate: unknown certificate \"" + snapshot.defaultCertificate() + "\"");
        }
        index(snapshot.tlsOptions(), TlsOptions::id, "tlsOptions", problems);
        Set<String> versions = Set.of("TLSv1.2", "TLSv1.3");
        for (TlsOptions options : snapshot.tlsOptions()) {
            String where = "tlsOptions " + options.id() + ": ";
            for (String version : java.util.Arrays.asList(options.minVersion(), options.maxVersion())) {
                if (version != null && !versions.contains(version)) {
                    problems.add(where + "TLS version \"" + version + "\" is not TLSv1.2 or TLSv1.3");
                }
            }
            if ("TLSv1.3".equals(options.minVersion()) && "TLSv1.2".equals(options.maxVersion())) {
                problems.add(where + "minVersion is above maxVersion");
            }
            if (options.clientAuth().verifies()
                    && (options.clientCaPem() == null || !options.clientCaPem().contains("-----BEGIN"))) {
                problems.add(where + "clientAuth " + options.clientAuth() + " needs clientCaPem");
            }
        }
    }
}
