package io.sluice.proxy.apply;

import io.sluice.proxy.balancer.LoadBalancedService;
import io.sluice.proxy.balancer.MirroringService;
import io.sluice.proxy.balancer.ServiceBalancer;
import io.sluice.proxy.balancer.StickyCookie;
import io.sluice.proxy.balancer.WeightedService;
import io.sluice.proxy.health.HealthCheckers;
import io.sluice.proxy.middleware.ChainMiddleware;
import io.sluice.proxy.middleware.HttpMiddleware;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.CompiledRouter;
import io.sluice.proxy.router.RouteEntry;
import io.sluice.proxy.router.RouterCompileException;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoint;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.proxy.upstream.UpstreamTlsCompiler;
import io.sluice.proxy.upstream.UpstreamTlsPolicy;
import io.sluice.proxy.tls.TlsProvider;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.BooleanSupplier;

/**
 * Compiles a snapshot into what the data path runs: services (balancers over pooled endpoints; endpoints that
 * stay across snapshots keep their pools; active health checks of unchanged endpoints keep running), middleware
 * chains, and the router. Every problem is collected and
 * reported at once; nothing is retired unless the whole snapshot compiled.
 */
public final class DataPlaneCompiler implements SnapshotCompiler<CompiledSnapshot> {
    private final UpstreamEndpoints endpoints;
    private final UpstreamSettings defaults;
    private final MiddlewareFactory middlewareFactory;
    private final RouterCompiler routerCompiler;
    private final HealthCheckers healthCheckers;
    private final UpstreamTlsCompiler upstreamTls;
    /** The certificates of the snapshot being compiled (client certificates of https services). */
    private Map<String, Certificate> certificates = Map.of();

    /** Without active health checks: a snapshot asking for one is refused. */
    public DataPlaneCompiler(UpstreamEndpoints endpoints, UpstreamSettings defaults,
            MiddlewareFactory middlewareFactory, RouterCompiler routerCompiler) {
        this(endpoints, defaults, middlewareFactory, routerCompiler, null);
    }

    /** @param healthCheckers runs the services' active health checks; null when this proxy has none */
    public DataPlaneCompiler(UpstreamEndpoints endpoints, UpstreamSettings defaults,
            MiddlewareFactory middlewareFactory, RouterCompiler routerCompiler, HealthCheckers healthCheckers) {
        this(endpoints, defaults, middlewareFactory, routerCompiler, healthCheckers,
                new UpstreamTlsCompiler(TlsProvider.detect()));
    }

    /** @param upstreamTls compiles the TLS settings of {@code https} services */
    public DataPlaneCompiler(UpstreamEndpoints endpoints, UpstreamSettings defaults,
            MiddlewareFactory middlewareFactory, RouterCompiler routerCompiler, HealthCheckers healthCheckers,
            UpstreamTlsCompiler upstreamTls) {
        this.endpoints = endpoints;
        this.defaults = defaults;
        this.middlewareFactory = middlewareFactory;
        this.routerCompiler = routerCompiler;
        this.healthCheckers = healthCheckers;
        this.upstreamTls = upstreamTls;
    }

    @Override
    public synchronized CompiledSnapshot compile(RoutingSnapshot snapshot) throws SnapshotRejectedException {
        if (healthCheckers != null) {
            healthCheckers.abandon(); // whatever an earlier, failed compile prepared
        }
        upstreamTls.abandon();
        certificates = new HashMap<>();
        for (Certificate certificate : snapshot.certificates()) {
            certificates.put(certificate.id(), certificate);
        }
        List<String> problems = new ArrayList<>();
        Set<String> used = new HashSet<>();
        Map<String, Service> serviceSpecs = new HashMap<>();
        snapshot.services().forEach(s -> serviceSpecs.put(s.id(), s));
        Map<String, Middleware> middlewareSpecs = new HashMap<>();
        snapshot.middlewares().forEach(m -> middlewareSpecs.put(m.id(), m));

        Map<String, ServiceBalancer> services = new HashMap<>();
        Map<String, HttpMiddleware> middlewares = new HashMap<>();
        List<RouteEntry<CompiledRoute>> entries = new ArrayList<>();
        Function<String, ServiceBalancer> serviceById =
                sid -> service(sid, serviceSpecs, services, used, new LinkedHashSet<>());
        for (Router router : snapshot.routers()) {
            try {
                ServiceBalancer service = service(router.service(), serviceSpecs, services, used,
                        new LinkedHashSet<>());
                List<HttpMiddleware> chain = new ArrayList<>();
                for (String id : router.middlewares()) {
                    chain.add(middleware(id, middlewareSpecs, middlewares, new LinkedHashSet<>(), serviceById));
                }
                entries.add(new RouteEntry<>(router,
                        new CompiledRoute(router.id(), new ChainMiddleware(chain), router.service(), service)));
            } catch (IllegalArgumentException e) {
                problems.add("router " + router.id() + ": " + e.getMessage());
            }
        }
        CompiledRouter<CompiledRoute> compiled = null;
        try {
            compiled = routerCompiler.compile(entries);
        } catch (RouterCompileException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            if (healthCheckers != null) {
                healthCheckers.abandon();
            }
            upstreamTls.abandon();
            throw new SnapshotRejectedException(problems);
        }
        upstreamTls.commit();
        endpoints.retainOnly(used);
        if (healthCheckers != null) {
            healthCheckers.commit();
        }
        return new CompiledSnapshot(compiled, entries.size());
    }

    private ServiceBalancer service(String id, Map<String, Service> specs, Map<String, ServiceBalancer> built,
            Set<String> used, Set<String> visiting) {
        ServiceBalancer done = built.get(id);
        if (done != null) {
            return done;
        }
        Service spec = specs.get(id);
        if (spec == null) {
            throw new IllegalArgumentException("service " + id + " does not exist");
        }
        if (!visiting.add(id)) {
            throw new IllegalArgumentException("service " + id + " refers to itself through " + visiting);
        }
        ServiceBalancer balancer;
        if (spec instanceof Service.LoadBalancer) {
            balancer = loadBalancer((Service.LoadBalancer) spec, used);
        } else if (spec instanceof Service.Weighted) {
            List<WeightedService.Child> children = new ArrayList<>();
            for (Service.WeightedTarget target : ((Service.Weighted) spec).services()) {
                children.add(new WeightedService.Child(
                        service(target.service(), specs, built, used, visiting), target.weight(), target.service()));
            }
            Service.Weighted weighted = (Service.Weighted) spec;
            balancer = new WeightedService(children,
                    weighted.sticky() == null ? null : new StickyCookie(weighted.sticky()));
        } else {
            Service.Mirroring mirroring = (Service.Mirroring) spec;
            List<MirroringService.Mirror> mirrors = new ArrayList<>();
            for (Service.MirrorTarget target : mirroring.mirrors()) {
                mirrors.add(new MirroringService.Mirror(
                        service(target.service(), specs, built, used, visiting), target.percent()));
            }
            balancer = new MirroringService(service(mirroring.service(), specs, built, used, visiting), mirrors,
                    mirroring.maxBodySize());
        }
        visiting.remove(id);
        built.put(id, balancer);
        return balancer;
    }

    private ServiceBalancer loadBalancer(Service.LoadBalancer spec, Set<String> used) {
        UpstreamTlsPolicy tls = null;
        if (spec.scheme() == Scheme.HTTPS) {
            try {
                tls = upstreamTls.compile(spec.id(), spec.tls(), certificates);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("service " + spec.id() + ": upstream TLS: " + e.getMessage());
            }
        }
        if (spec.healthCheck() != null && healthCheckers == null) {
            throw new IllegalArgumentException("service " + spec.id()
                    + ": active health checks are not enabled in this proxy");
        }
        UpstreamTlsPolicy probeTls = spec.healthCheck() == null ? null : probeTls(spec, tls);
        List<LoadBalancedService.Member> members = new ArrayList<>();
        for (Endpoint e : spec.endpoints()) {
            UpstreamEndpoint endpoint = endpoints.endpoint(e.address(), e.port(), spec.scheme() == Scheme.H2C,
                    tls);
            used.add(endpoint.poolKey());
            BooleanSupplier health = spec.healthCheck() == null ? null
                    : healthCheckers.prepare(spec.id(), e.address(), e.port(), spec.healthCheck(),
                            probeTls);
            members.add(new LoadBalancedService.Member(endpoint, e.weight(), e.ready(), e.serving(), health));
            if (spec.passiveHealthCheck() != null && healthCheckers != null) {
                healthCheckers.preparePassive(endpoint, spec.passiveHealthCheck());
            }
        }
        return new LoadBalancedService(spec.id(), members, spec.strategy(), spec.passHostHeader(),
                defaults.with(spec.timeouts()), spec.sticky() == null ? null : new StickyCookie(spec.sticky()),
                spec.passiveHealthCheck());
    }

    /**
     * How the service's health probes speak TLS: not at all when the check's scheme (or, without one, the
     * service's) is not https; with the service's own policy on an https service; with a policy compiled from the
     * service's TLS settings (null: the default trust store) when a cleartext service is probed over https, as
     * Traefik does with the service's transport.
     */
    private UpstreamTlsPolicy probeTls(Service.LoadBalancer spec, UpstreamTlsPolicy serviceTls) {
        String scheme = spec.healthCheck().scheme();
        boolean https = scheme == null ? spec.scheme() == Scheme.HTTPS : scheme.equals("https");
        if (!https) {
            return null;
        }
        if (serviceTls != null) {
            return serviceTls;
        }
        try {
            return upstreamTls.compile(spec.id(), spec.tls(), certificates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("service " + spec.id() + ": health check TLS: " + e.getMessage());
        }
    }

    private HttpMiddleware middleware(String id, Map<String, Middleware> specs, Map<String, HttpMiddleware> built,
            Set<String> visiting, Function<String, ServiceBalancer> serviceById) {
        HttpMiddleware done = built.get(id);
        if (done != null) {
            return done;
        }
        Middleware spec = specs.get(id);
        if (spec == null) {
            throw new IllegalArgumentException("middleware " + id + " does not exist");
        }
        if (!visiting.add(id)) {
            throw new IllegalArgumentException("middleware " + id + " is part of a cycle " + visiting);
        }
        HttpMiddleware middleware;
        try {
            middleware = middlewareFactory.create(spec.spec(),
                    child -> middleware(child, specs, built, visiting, serviceById), serviceById);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message.startsWith("middleware ") ? message
                    : "middleware " + id + ": " + message);
        }
        visiting.remove(id);
        built.put(id, middleware);
        return middleware;
    }
}
