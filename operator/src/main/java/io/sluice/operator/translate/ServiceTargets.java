package io.sluice.operator.translate;

import io.sluice.operator.crd.ServiceRef;
import io.sluice.operator.crd.TraefikService;
import io.sluice.operator.crd.TraefikServiceSpec;
import io.sluice.snapshot.HealthCheck;
import io.sluice.snapshot.PassiveHealthCheck;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.Sticky;
import io.sluice.snapshot.Strategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns service references ({@code kind: Service} or {@code kind: TraefikService}) into snapshot service ids, for
 * IngressRoutes and for TraefikServices nested in each other. A Service reference becomes a load balancer; a
 * TraefikService becomes one {@link Service.Weighted} or {@link Service.Mirroring}, translated once however many
 * references reach it. Reference cycles are found while following the references (each TraefikService is entered at
 * most once per run, and nesting stops at {@link #MAX_DEPTH}, so neither the stack nor the time can grow without
 * bound): every TraefikService on the cycle is left out and reported. Whatever cannot be used fails closed: the reference points at the 503 service.
 *
 * <p>Lives for one translation run.
 */
final class ServiceTargets {
    private static final String PREFIX = "traefikservice/";
    /** How many TraefikServices deep a reference may nest; bounds the stack whatever the cluster holds. */
    static final int MAX_DEPTH = 64;

    private final TranslationOptions options;
    private final BackendResolver backends;
    private final ServersTransports transports;
    private final Map<String, TraefikService> traefikServices = new TreeMap<>();
    private final Map<String, String> translated = new HashMap<>();
    private final List<String> inProgress = new ArrayList<>();
    private final Set<String> cyclic = new HashSet<>();
    private final ReadRecorder reads;

    ServiceTargets(TranslationOptions options, BackendResolver backends, List<TraefikService> traefikServices,
            ServersTransports transports) {
        this(options, backends, traefikServices, transports, new ReadRecorder());
    }

    /** @param reads told of each TraefikService a reference names */
    ServiceTargets(TranslationOptions options, BackendResolver backends, List<TraefikService> traefikServices,
            ServersTransports transports, ReadRecorder reads) {
        this.reads = reads;
        this.options = options;
        this.backends = backends;
        this.transports = transports;
        for (TraefikService ts : traefikServices) {
            this.traefikServices.put(key(ts.getMetadata().getNamespace(), ts.getMetadata().getName()), ts);
        }
    }

    /** Translates every TraefikService, so each one gets a status even when no route uses it. */
    void translateAll(SnapshotDraft draft) {
        traefikServices.keySet().forEach(key -> traefikService(key, draft));
    }

    /**
     * What a reference to each TraefikService (by {@code <namespace>/<name>}) gets once {@link #translateAll} ran:
     * its service id or null, and whether it is on a reference cycle. References read nothing else of it.
     */
    Map<String, Object> outcomes() {
        Map<String, Object> outcomes = new HashMap<>();
        traefikServices.keySet().forEach(key -> outcomes.put(key,
                java.util.Arrays.asList(translated.get(key), cyclic.contains(key))));
        return outcomes;
    }

    /**
     * The snapshot service {@code ref} leads to, adding what it needs to the draft.
     *
     * @param ns       the referring object's namespace (the default for {@code ref.namespace})
     * @param id       the id a load balancer built for a Service reference gets
     * @param problems where unusable references are reported, as {@code {field, message}}
     */
    String target(String ns, ServiceRef ref, String id, String where, ObjectRef owner, List<String[]> problems,
            SnapshotDraft draft) {
        String refNs = ref.namespace() == null || ref.namespace().isEmpty() ? ns : ref.namespace();
        if (ref.kind() == ServiceRef.Kind.TRAEFIK_SERVICE) {
            return traefikServiceTarget(ns, refNs, ref.name(), where, problems, draft);
        }
        List<io.sluice.snapshot.Endpoint> endpoints = List.of();
        if (!refNs.equals(ns) && !options.allowCrossNamespace()) {
            problems.add(new String[] {where, "Service " + refNs + "/" + ref.name() + " is in another namespace"
                    + " and cross-namespace references are not allowed; requests get 503"});
        } else if (ref.port() == null) {
            problems.add(new String[] {where + ".port", "port is required; requests get 503"});
        } else {
            BackendResolver.Backend b = backends.resolve(refNs, ref.name(), ref.port());
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
                ref.strategy() == ServiceRef.Strategy.P2C ? Strategy.P2C : Strategy.WRR, sticky(ref.sticky(), id),
                healthCheck, null, passive);
        draft.service(transports.apply(lb, ns, ref.serversTransport(), ref.name() + "." + refNs + ".svc", owner,
                where + ".serversTransport", (f, m) -> problems.add(new String[] {f, m}), draft));
        return id;
    }

    private String traefikServiceTarget(String ns, String refNs, String name, String where, List<String[]> problems,
            SnapshotDraft draft) {
        String key = key(refNs, name);
        reads.read(InputVersions.traefikService(key));
        if (!refNs.equals(ns) && !options.allowCrossNamespace()) {
            problems.add(new String[] {where, "TraefikService " + key + " is in another namespace"
                    + " and cross-namespace references are not allowed; requests get 503"});
            return draft.unavailableService();
        }
        if (!traefikServices.containsKey(key)) {
            problems.add(new String[] {where, "TraefikService " + key + " not found; requests get 503"});
            return draft.unavailableService();
        }
        if (inProgress.contains(key)) {
            List<String> cycle = new ArrayList<>();
            boolean on = false;
            for (String k : inProgress) {
                on |= k.equals(key);
                if (on) {
                    cycle.add(k);
                }
            }
            cycle.add(key);
            cyclic.addAll(cycle);
            String path = String.join(" -> ", cycle);
            for (String member : new LinkedHashSet<>(cycle)) {
                draft.problem(ObjectRef.of(traefikServices.get(member)), "spec",
                        "reference cycle " + path + "; not served");
            }
            problems.add(new String[] {where, "TraefikService " + key + " closes a reference cycle; requests get 503"});
            return draft.unavailableService();
        }
        if (!translated.containsKey(key) && inProgress.size() >= MAX_DEPTH) {
            problems.add(new String[] {where, "TraefikService " + key + " is nested more than " + MAX_DEPTH
                    + " TraefikServices deep; requests get 503"});
            return draft.unavailableService();
        }
        String id = traefikService(key, draft);
        if (id == null) {
            if (!cyclic.contains(key)) {
                problems.add(new String[] {where, "TraefikService " + key
                        + " is not usable (see its status); requests get 503"});
            } else if (inProgress.isEmpty() || !cyclic.contains(inProgress.get(inProgress.size() - 1))) {
                problems.add(new String[] {where, "TraefikService " + key
                        + " is part of a reference cycle; requests get 503"});
            }
            return draft.unavailableService();
        }
        return id;
    }

    /** Translates one TraefikService once; its snapshot service id, or null when it cannot be served. */
    private String traefikService(String key, SnapshotDraft draft) {
        if (translated.containsKey(key)) {
            return translated.get(key);
        }
        TraefikService ts = traefikServices.get(key);
        ObjectRef owner = ObjectRef.of(ts);
        String ns = ts.getMetadata().getNamespace();
        String id = PREFIX + key;
        TraefikServiceSpec spec = ts.getSpec();
        List<String[]> problems = new ArrayList<>();
        Service service = null;
        inProgress.add(key);
        try {
            if (spec == null || (spec.weighted() == null) == (spec.mirroring() == null)) {
                draft.problem(owner, "spec", "exactly one of weighted and mirroring must be set; not served");
            } else if (spec.weighted() != null) {
                service = weighted(ns, id, spec.weighted(), owner, problems, draft);
            } else {
                service = mirroring(ns, id, spec.mirroring(), owner, problems, draft);
            }
        } finally {
            inProgress.remove(inProgress.size() - 1);
        }
        problems.forEach(p -> draft.problem(owner, p[0], p[1]));
        boolean accepted = service != null && !cyclic.contains(key);
        if (accepted) {
            draft.service(service);
        }
        draft.status(ts, accepted, problems.isEmpty() && !cyclic.contains(key), List.of(), List.of());
        String result = accepted ? id : null;
        translated.put(key, result);
        return result;
    }

    private Service weighted(String ns, String id, TraefikServiceSpec.Weighted spec, ObjectRef owner,
            List<String[]> problems, SnapshotDraft draft) {
        if (spec.services() == null || spec.services().isEmpty()) {
            draft.problem(owner, "spec.weighted.services", "at least one service is required; not served");
            return null;
        }
        List<Service.WeightedTarget> targets = new ArrayList<>();
        for (int i = 0; i < spec.services().size(); i++) {
            ServiceRef ref = spec.services().get(i);
            String target = target(ns, ref, id + "/" + i, "spec.weighted.services[" + i + "]", owner, problems,
                    draft);
            targets.add(new Service.WeightedTarget(target, ref.weight() == null ? 1 : ref.weight()));
        }
        return new Service.Weighted(id, targets, sticky(spec.sticky(), id));
    }

    private Service mirroring(String ns, String id, TraefikServiceSpec.Mirroring spec, ObjectRef owner,
            List<String[]> problems, SnapshotDraft draft) {
        String main = target(ns, spec.main(), id + "/main", "spec.mirroring", owner, problems, draft);
        List<Service.MirrorTarget> mirrors = new ArrayList<>();
        List<TraefikServiceSpec.Mirror> specs = spec.mirrors() == null ? List.of() : spec.mirrors();
        for (int i = 0; i < specs.size(); i++) {
            TraefikServiceSpec.Mirror mirror = specs.get(i);
            String target = target(ns, mirror.target(), id + "/mirrors/" + i, "spec.mirroring.mirrors[" + i + "]",
                    owner, problems, draft);
            mirrors.add(new Service.MirrorTarget(target, mirror.percent() == null ? 0 : mirror.percent()));
        }
        return new Service.Mirroring(id, main, mirrors, spec.maxBodySize() == null ? -1 : spec.maxBodySize());
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

    private static Sticky sticky(ServiceRef.Sticky sticky, String serviceId) {
        if (sticky == null || sticky.cookie() == null) {
            return null;
        }
        ServiceRef.Cookie c = sticky.cookie();
        return new Sticky(c.name() == null ? CookieNames.derive(serviceId) : c.name(), Boolean.TRUE.equals(c.secure()),
                Boolean.TRUE.equals(c.httpOnly()),
                c.sameSite() == null ? null : c.sameSite().name().toLowerCase(Locale.ROOT), c.maxAge(), c.path());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
