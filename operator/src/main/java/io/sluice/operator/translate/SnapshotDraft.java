package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.Service;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one translation run has collected so far. Lives for one call of {@link Translator#translate} only; the
 * translators add to it and {@link #finish} freezes it into a sorted {@link Translation}.
 */
final class SnapshotDraft {
    /** Where routers go whose middlewares cannot be resolved: a service without endpoints answers 503. */
    static final String UNAVAILABLE_SERVICE = "sluice/unavailable";

    private final Map<String, Router> routers = new TreeMap<>();
    private final Map<String, Service> services = new TreeMap<>();
    private final Map<String, io.sluice.snapshot.Middleware> middlewares = new TreeMap<>();
    private final Map<String, Certificate> certificates = new TreeMap<>();
    private final Map<String, io.sluice.snapshot.TlsOptions> tlsOptions = new TreeMap<>();
    private String defaultCertificate;
    private final Set<Problem> problems = new LinkedHashSet<>();
    private final Map<ObjectRef, ObjectStatus> statuses = new TreeMap<>();
    private final Map<String, io.sluice.snapshot.TcpRouter> tcpRouters = new TreeMap<>();
    private final Map<String, io.sluice.snapshot.TcpService> tcpServices = new TreeMap<>();

    /** Records a problem once: a service shared by several paths of one object reports it a single time. */
    void problem(ObjectRef ref, String field, String message) {
        problems.add(new Problem(ref, field, message));
    }

    void router(Router router) {
        routers.put(router.id(), router);
    }

    void service(Service service) {
        services.put(service.id(), service);
    }

    void middleware(io.sluice.snapshot.Middleware middleware) {
        middlewares.put(middleware.id(), middleware);
    }

    void certificate(Certificate certificate) {
        certificates.put(certificate.id(), certificate);
    }

    void tlsOptions(io.sluice.snapshot.TlsOptions options) {
        tlsOptions.put(options.id(), options);
    }

    void defaultCertificate(String certificateId) {
        defaultCertificate = certificateId;
    }

    void tcpRouter(io.sluice.snapshot.TcpRouter router) {
        tcpRouters.put(router.id(), router);
    }

    void tcpService(io.sluice.snapshot.TcpService service) {
        tcpServices.put(service.id(), service);
    }

    String unavailableService() {
        services.putIfAbsent(UNAVAILABLE_SERVICE, Service.LoadBalancer.of(UNAVAILABLE_SERVICE, List.of()));
        return UNAVAILABLE_SERVICE;
    }

    void status(HasMetadata object, boolean accepted, boolean resolvedRefs, List<String> routerIds,
            List<String> hosts) {
        Long generation = object.getMetadata().getGeneration();
        ObjectRef ref = ObjectRef.of(object);
        statuses.put(ref, new ObjectStatus(ref, generation == null ? 0 : generation, accepted, resolvedRefs,
                routerIds.stream().sorted().toList(), hosts.stream().distinct().sorted().toList()));
    }

    /**
     * What one object's translation wrote into a draft of its own, frozen so {@link IncrementalTranslator} can
     * cache it and {@link #add} it to later drafts. A kind that writes something new adds it here and in
     * {@link #part} and {@link #add}.
     */
    record Part(List<Router> routers, List<Service> services, List<io.sluice.snapshot.Middleware> middlewares,
            List<Certificate> certificates, List<io.sluice.snapshot.TlsOptions> tlsOptions, List<Problem> problems,
            List<ObjectStatus> statuses) {
        Part {
            routers = List.copyOf(routers);
            services = List.copyOf(services);
            middlewares = List.copyOf(middlewares);
            certificates = List.copyOf(certificates);
            tlsOptions = List.copyOf(tlsOptions);
            problems = List.copyOf(problems);
            statuses = List.copyOf(statuses);
        }
    }

    /** Everything written so far, for a draft that held one object's translation. */
    Part part() {
        return new Part(List.copyOf(routers.values()), List.copyOf(services.values()),
                List.copyOf(middlewares.values()), List.copyOf(certificates.values()),
                List.copyOf(tlsOptions.values()), List.copyOf(problems), List.copyOf(statuses.values()));
    }

    /** Writes {@code part} as if its object had been translated into this draft. */
    void add(Part part) {
        part.routers().forEach(this::router);
        part.services().forEach(this::service);
        part.middlewares().forEach(this::middleware);
        part.certificates().forEach(this::certificate);
        part.tlsOptions().forEach(this::tlsOptions);
        problems.addAll(part.problems());
        part.statuses().forEach(s -> statuses.put(s.ref(), s));
    }

    /** Freezes the draft; services no router reaches (those of excluded or conflicting paths) are dropped. */
    Translation finish() {
        List<Problem> sorted = new ArrayList<>(problems);
        Collections.sort(sorted);
        Set<String> reached = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        routers.values().forEach(r -> pending.add(r.service()));
        middlewares.values().stream().map(io.sluice.snapshot.Middleware::spec)
                .filter(spec -> spec instanceof io.sluice.snapshot.MiddlewareSpec.Errors)
                .forEach(spec -> pending.add(((io.sluice.snapshot.MiddlewareSpec.Errors) spec).service()));
        while (!pending.isEmpty()) {
            String id = pending.pop();
            Service service = services.get(id);
            if (service != null && reached.add(id)) {
                if (service instanceof Service.Weighted w) {
                    w.services().forEach(t -> pending.add(t.service()));
                } else if (service instanceof Service.Mirroring m) {
                    pending.add(m.service());
                    m.mirrors().forEach(t -> pending.add(t.service()));
                }
            }
        }
        List<Service> used = services.values().stream().filter(s -> reached.contains(s.id())).toList();
        return new Translation(List.copyOf(routers.values()), used,
                List.copyOf(middlewares.values()), List.copyOf(certificates.values()), sorted,
                withUsers(statuses.values()), defaultCertificate,
                List.copyOf(tlsOptions.values()))
                .withTcp(List.copyOf(tcpRouters.values()), List.copyOf(tcpServices.values()));
    }

    /**
     * A Middleware's status lists the routers that run it, directly or through chains; a TraefikService's the
     * routers whose service reaches it. Each router's reach is walked once, not once per status.
     */
    private List<ObjectStatus> withUsers(Collection<ObjectStatus> all) {
        Map<String, List<String>> middlewareUsers = new HashMap<>();
        Map<String, List<String>> serviceUsers = new HashMap<>();
        for (Router router : routers.values()) {
            Set<String> run = new LinkedHashSet<>();
            router.middlewares().forEach(m -> runs(m, run));
            run.forEach(m -> middlewareUsers.computeIfAbsent(m, k -> new ArrayList<>()).add(router.id()));
            Set<String> reached = new LinkedHashSet<>();
            reaches(router.service(), reached);
            reached.forEach(s -> serviceUsers.computeIfAbsent(s, k -> new ArrayList<>()).add(router.id()));
        }
        List<ObjectStatus> out = new ArrayList<>(all.size());
        for (ObjectStatus status : all) {
            String ns = status.ref().namespace();
            String name = status.ref().name();
            List<String> users = null;
            if (status.ref().kind().equals("TraefikService") && status.accepted()) {
                users = serviceUsers.getOrDefault("traefikservice/" + ns + "/" + name, List.of());
            } else if (status.ref().kind().equals("Middleware")) {
                users = middlewareUsers.getOrDefault(ns + "/" + name, List.of());
            }
            out.add(users == null ? status : new ObjectStatus(status.ref(), status.generation(), status.accepted(),
                    status.resolvedRefs(), users, status.hosts()));
        }
        return out;
    }

    /** Adds every service id {@code from} leads to (itself included), through weighted and mirroring services. */
    private void reaches(String from, Set<String> reached) {
        if (!reached.add(from)) {
            return;
        }
        Service service = services.get(from);
        if (service instanceof Service.Weighted w) {
            w.services().forEach(t -> reaches(t.service(), reached));
        } else if (service instanceof Service.Mirroring m) {
            reaches(m.service(), reached);
            m.mirrors().forEach(t -> reaches(t.service(), reached));
        }
    }

    /** Adds every middleware id running {@code middleware} runs (itself included), through chains. */
    private void runs(String middleware, Set<String> run) {
        if (!run.add(middleware)) {
            return;
        }
        io.sluice.snapshot.Middleware m = middlewares.get(middleware);
        if (m != null && m.spec() instanceof io.sluice.snapshot.MiddlewareSpec.Chain c) {
            c.middlewares().forEach(child -> runs(child, run));
        }
    }
}
