package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.Service;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
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
                statuses.values().stream().map(this::withMiddlewareUsers).toList(), defaultCertificate,
                List.copyOf(tlsOptions.values()));
    }

    /**
     * A Middleware's status lists the routers that run it, directly or through chains; a TraefikService's the
     * routers whose service reaches it.
     */
    private ObjectStatus withMiddlewareUsers(ObjectStatus status) {
        if (status.ref().kind().equals("TraefikService") && status.accepted()) {
            String service = "traefikservice/" + status.ref().namespace() + "/" + status.ref().name();
            List<String> users = routers.values().stream()
                    .filter(r -> reaches(r.service(), service, new HashSet<>())).map(Router::id).toList();
            return new ObjectStatus(status.ref(), status.generation(), status.accepted(), status.resolvedRefs(),
                    users, status.hosts());
        }
        if (!status.ref().kind().equals("Middleware")) {
            return status;
        }
        String id = status.ref().namespace() + "/" + status.ref().name();
        List<String> users = routers.values().stream()
                .filter(r -> r.middlewares().stream().anyMatch(m -> runs(m, id, new HashSet<>())))
                .map(Router::id).toList();
        return new ObjectStatus(status.ref(), status.generation(), status.accepted(), status.resolvedRefs(), users,
                status.hosts());
    }

    private boolean reaches(String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        Service service = services.get(from);
        if (service == null || !seen.add(from)) {
            return false;
        }
        if (service instanceof Service.Weighted w) {
            return w.services().stream().anyMatch(t -> reaches(t.service(), target, seen));
        }
        if (service instanceof Service.Mirroring m) {
            return reaches(m.service(), target, seen)
                    || m.mirrors().stream().anyMatch(t -> reaches(t.service(), target, seen));
        }
        return false;
    }

    private boolean runs(String middleware, String target, Set<String> seen) {
        if (middleware.equals(target)) {
            return true;
        }
        io.sluice.snapshot.Middleware m = middlewares.get(middleware);
        return m != null && seen.add(middleware) && m.spec() instanceof io.sluice.snapshot.MiddlewareSpec.Chain c
                && c.middlewares().stream().anyMatch(child -> runs(child, target, seen));
    }
}
