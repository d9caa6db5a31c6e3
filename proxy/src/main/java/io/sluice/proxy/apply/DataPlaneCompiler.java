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
import io.sluice.snapshot.MiddlewareSpec;
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
    /** Middlewares of the last successful compile built from their spec alone, by id. */
    private Map<String, ReusableMiddleware> reusableMiddlewares = Map.of();

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
        Build build = begin(snapshot);
        List<String> problems = new ArrayList<>();
        List<RouteEntry<Integer>> entries = new ArrayList<>();
        List<CompiledRoute> routes = new ArrayList<>();
        for (Router router : snapshot.routers()) {
            try {
                routes.add(route(router, build));
                entries.add(new RouteEntry<>(router, entries.size()));
            } catch (IllegalArgumentException e) {
                problems.add("router " + router.id() + ": " + e.getMessage());
            }
        }
        CompiledRouter<Integer> structure = null;
        try {
            structure = routerCompiler.compile(entries);
        } catch (RouterCompileException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            abandon();
            throw new SnapshotRejectedException(problems);
        }
        upstreamTls.commit();
        endpoints.retainOnly(build.usedPoolKeys());
        if (healthCheckers != null) {
            healthCheckers.commit();
        }
        reusableMiddlewares = build.reusable;
        RouteTable table = new RouteTable(structure, routes);
        return new CompiledSnapshot(table, routes.size(), null, build.parts(this, table));
    }

    /**
     * Compiles a snapshot that differs from {@code serving} only in the endpoints of {@code change.services()}:
     * the router structure, the middlewares, the certificates and every other balancer are reused; the changed
     * load balancers, the services and middlewares built on them and the routes leading to them are rebuilt.
     * Pools, health checks and passive health of the endpoints are kept exactly as a full compile keeps them;
     * checks of removed endpoints stop and those of added endpoints start.
     *
     * @return null when {@code serving} was not compiled by this compiler (compile the snapshot whole instead)
     */
    @Override
    public synchronized CompiledSnapshot compileEndpointChange(CompiledSnapshot serving, EndpointOnlyChange change)
            throws SnapshotRejectedException {
        CompiledParts parts = serving.parts();
        if (parts == null || !parts.builtBy(this)) {
            return null;
        }
        RoutingSnapshot snapshot = change.next();
        Build build = begin(snapshot);
        Set<String> services = CompiledParts.affectedServices(snapshot.services(), change.services());
        Set<String> middlewares = parts.affectedMiddlewares(services);
        build.reuse(parts, services, middlewares);
        List<String> problems = new ArrayList<>();
        List<CompiledRoute> routes = new ArrayList<>(parts.table().size());
        List<Router> routers = snapshot.routers();
        for (int i = 0; i < routers.size(); i++) {
            Router router = routers.get(i);
            boolean affected = services.contains(router.service())
                    || router.middlewares().stream().anyMatch(middlewares::contains);
            if (!affected) {
                routes.add(parts.table().route(i));
                continue;
            }
            try {
                routes.add(route(router, build));
            } catch (IllegalArgumentException e) {
                problems.add("router " + router.id() + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            abandon();
            throw new SnapshotRejectedException(problems);
        }
        upstreamTls.commitAlongside();
        endpoints.retainOnly(build.usedPoolKeys());
        if (healthCheckers != null) {
            healthCheckers.commitServices(change.services());
        }
        RouteTable table = parts.table().relink(routes);
        return new CompiledSnapshot(table, routes.size(), serving.certificates(), build.parts(this, table));
    }

    /** Forgets whatever an earlier, failed compile prepared and starts a build of {@code snapshot}. */
    private Build begin(RoutingSnapshot snapshot) {
        abandon();
        certificates = new HashMap<>();
        for (Certificate certificate : snapshot.certificates()) {
            certificates.put(certificate.id(), certificate);
        }
        return new Build(snapshot);
    }

    private void abandon() {
        if (healthCheckers != null) {
            healthCheckers.abandon();
        }
        upstreamTls.abandon();
    }

    private CompiledRoute route(Router router, Build build) {
        ServiceBalancer service = service(router.service(), build, new LinkedHashSet<>());
        List<HttpMiddleware> chain = new ArrayList<>();
        for (String id : router.middlewares()) {
            chain.add(middleware(id, build, new LinkedHashSet<>()));
        }
        return new CompiledRoute(router.id(), new ChainMiddleware(chain), router.service(), service);
    }

    private ServiceBalancer service(String id, Build build, Set<String> visiting) {
        ServiceBalancer done = build.services.get(id);
        if (done != null) {
            return done;
        }
        Service spec = build.serviceSpecs.get(id);
        if (spec == null) {
            throw new IllegalArgumentException("service " + id + " does not exist");
        }
        if (!visiting.add(id)) {
            throw new IllegalArgumentException("service " + id + " refers to itself through " + visiting);
        }
        ServiceBalancer balancer;
        if (spec instanceof Service.LoadBalancer) {
            balancer = loadBalancer((Service.LoadBalancer) spec, build);
        } else if (spec instanceof Service.Weighted) {
            List<WeightedService.Child> children = new ArrayList<>();
            for (Service.WeightedTarget target : ((Service.Weighted) spec).services()) {
                children.add(new WeightedService.Child(
                        service(target.service(), build, visiting), target.weight(), target.service()));
            }
            Service.Weighted weighted = (Service.Weighted) spec;
            balancer = new WeightedService(children,
                    weighted.sticky() == null ? null : new StickyCookie(weighted.sticky()));
        } else {
            Service.Mirroring mirroring = (Service.Mirroring) spec;
            List<MirroringService.Mirror> mirrors = new ArrayList<>();
            for (Service.MirrorTarget target : mirroring.mirrors()) {
                mirrors.add(new MirroringService.Mirror(
                        service(target.service(), build, visiting), target.percent()));
            }
            balancer = new MirroringService(service(mirroring.service(), build, visiting), mirrors,
                    mirroring.maxBodySize());
        }
        visiting.remove(id);
        build.services.put(id, balancer);
        return balancer;
    }

    private ServiceBalancer loadBalancer(Service.LoadBalancer spec, Build build) {
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
        Set<String> keys = new HashSet<>();
        for (Endpoint e : spec.endpoints()) {
            UpstreamEndpoint endpoint = endpoints.endpoint(e.address(), e.port(), spec.scheme() == Scheme.H2C,
                    tls);
            keys.add(endpoint.poolKey());
            BooleanSupplier health = spec.healthCheck() == null ? null
                    : healthCheckers.prepare(spec.id(), e.address(), e.port(), spec.healthCheck(),
                            probeTls);
            members.add(new LoadBalancedService.Member(endpoint, e.weight(), e.ready(), e.serving(), health));
            if (spec.passiveHealthCheck() != null && healthCheckers != null) {
                healthCheckers.preparePassive(spec.id(), endpoint, spec.passiveHealthCheck());
            }
        }
        build.poolKeys.put(spec.id(), keys);
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

    /**
     * The middleware {@code id}: built from its spec, or, when it was built from nothing but its spec (no
     * service, no other middleware) and the spec is unchanged since the last compile, the same instance, so
     * that its state (rate-limit buckets, circuit breaker, in-flight count) carries over.
     */
    private HttpMiddleware middleware(String id, Build build, Set<String> visiting) {
        HttpMiddleware done = build.middlewares.get(id);
        if (done != null) {
            return done;
        }
        Middleware spec = build.middlewareSpecs.get(id);
        if (spec == null) {
            throw new IllegalArgumentException("middleware " + id + " does not exist");
        }
        if (!visiting.add(id)) {
            throw new IllegalArgumentException("middleware " + id + " is part of a cycle " + visiting);
        }
        Set<String> usedServices = new HashSet<>();
        Set<String> usedMiddlewares = new HashSet<>();
        ReusableMiddleware previous = reusableMiddlewares.get(id);
        HttpMiddleware middleware;
        if (previous != null && previous.spec().equals(spec.spec())) {
            middleware = previous.instance();
        } else {
            try {
                middleware = middlewareFactory.create(spec.spec(),
                        child -> {
                            usedMiddlewares.add(child);
                            return middleware(child, build, visiting);
                        },
                        sid -> {
                            usedServices.add(sid);
                            return service(sid, build, new LinkedHashSet<>());
                        });
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                throw new IllegalArgumentException(message.startsWith("middleware ") ? message
                        : "middleware " + id + ": " + message);
            }
        }
        CompiledParts.Dependencies dependencies = new CompiledParts.Dependencies(usedServices, usedMiddlewares);
        if (dependencies.isEmpty()) {
            build.reusable.put(id, new ReusableMiddleware(spec.spec(), middleware));
        } else {
            build.dependencies.put(id, dependencies);
        }
        visiting.remove(id);
        build.middlewares.put(id, middleware);
        return middleware;
    }

    /** A middleware built from its spec alone, kept for the next compile. */
    private record ReusableMiddleware(MiddlewareSpec spec, HttpMiddleware instance) {
    }

    /** What one compile has built so far. */
    private static final class Build {
        final Map<String, Service> serviceSpecs = new HashMap<>();
        final Map<String, Middleware> middlewareSpecs = new HashMap<>();
        final Map<String, ServiceBalancer> services = new HashMap<>();
        final Map<String, Set<String>> poolKeys = new HashMap<>();
        final Map<String, HttpMiddleware> middlewares = new HashMap<>();
        final Map<String, CompiledParts.Dependencies> dependencies = new HashMap<>();
        final Map<String, ReusableMiddleware> reusable = new HashMap<>();

        Build(RoutingSnapshot snapshot) {
            snapshot.services().forEach(s -> serviceSpecs.put(s.id(), s));
            snapshot.middlewares().forEach(m -> middlewareSpecs.put(m.id(), m));
        }

        /** Starts from what {@code parts} built, less the services and middlewares that must be rebuilt. */
        void reuse(CompiledParts parts, Set<String> rebuiltServices, Set<String> rebuiltMiddlewares) {
            parts.services().forEach((id, balancer) -> {
                if (!rebuiltServices.contains(id)) {
                    services.put(id, balancer);
                }
            });
            parts.poolKeys().forEach((id, keys) -> {
                if (!rebuiltServices.contains(id)) {
                    poolKeys.put(id, keys);
                }
            });
            parts.middlewares().forEach((id, middleware) -> {
                if (!rebuiltMiddlewares.contains(id)) {
                    middlewares.put(id, middleware);
                }
            });
            parts.dependencies().forEach((id, d) -> {
                if (!rebuiltMiddlewares.contains(id)) {
                    dependencies.put(id, d);
                }
            });
        }

        Set<String> usedPoolKeys() {
            Set<String> used = new HashSet<>();
            poolKeys.values().forEach(used::addAll);
            return used;
        }

        CompiledParts parts(DataPlaneCompiler owner, RouteTable table) {
            return new CompiledParts(owner, table, services, poolKeys, middlewares, dependencies);
        }
    }
}
