package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.sluice.snapshot.HostNames;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RouterTls;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.Sticky;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Translates the Ingresses that are ours (by IngressClass, legacy annotation, or default class) with the
 * networking.k8s.io/v1 semantics: one router per rule path plus one for {@code defaultBackend}. Two Ingresses
 * claiming the same host, path and path type: the older one wins (then namespace/name), the other is told.
 */
final class IngressTranslator {
    static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
    static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

    private final TranslationOptions options;
    private final BackendResolver backends;
    private final ServersTransports transports;
    private final Tls tls;
    private final TlsOptionsTranslator tlsOptions;
    /** Names the TLSOption of every TLS router of the Ingress (Traefik: {@code router.tls.options}). */
    static final String TLS_OPTIONS_ANNOTATION = "sluice.io/router.tls.options";
    private final MiddlewareRefs middlewareRefs;

    IngressTranslator(TranslationOptions options, BackendResolver backends, Tls tls, MiddlewareRefs refs,
            TlsOptionsTranslator tlsOptions, ServersTransports transports) {
        this.tlsOptions = tlsOptions;
        this.options = options;
        this.backends = backends;
        this.transports = transports;
        this.tls = tls;
        this.middlewareRefs = refs;
    }

    /** A router candidate, before conflicts are resolved. */
    record Candidate(Ingress ingress, String claim, boolean fallback, Router router, String field) {
    }

    /**
     * What one Ingress translates to before conflicts with other Ingresses are resolved: its router candidates
     * (explicit paths first; null when the Ingress is excluded), whether its references resolved, and what it
     * wrote into its draft (services, certificates, problems), and its {@code sluice.io/canary.weight} when it is a
     * canary (null otherwise).
     */
    record Translated(List<Candidate> candidates, boolean refsOk, SnapshotDraft.Part part, Integer canaryWeight) {
        Translated {
            candidates = candidates == null ? null : List.copyOf(candidates);
        }
    }

    /** The Ingresses that are ours, oldest first (then by namespace and name): the order conflicts are won in. */
    List<Ingress> ours(List<Ingress> ingresses, List<IngressClass> classes) {
        Map<Ingress, Instant> created = new IdentityHashMap<>();
        ingresses.stream().filter(i -> isOurs(i, classes)).forEach(i -> created.put(i, created(i)));
        return created.keySet().stream()
                .sorted(Comparator.comparing((Ingress i) -> created.get(i))
                        .thenComparing(i -> i.getMetadata().getNamespace())
                        .thenComparing(i -> i.getMetadata().getName()))
                .toList();
    }

    /** Translates one Ingress on its own, into a draft of its own. */
    Translated translate(Ingress ingress) {
        SnapshotDraft own = new SnapshotDraft();
        boolean[] refsOk = {true};
        IngressAnnotations annotations = IngressAnnotations.parse(ingress.getMetadata().getAnnotations());
        List<Candidate> candidates = candidates(ingress, annotations, own, refsOk);
        if (candidates != null) {
            // explicit paths first, so a defaultBackend never shadows a rule of a younger Ingress
            candidates.sort(Comparator.comparing(Candidate::fallback));
        }
        return new Translated(candidates, refsOk[0], own.part(), annotations.canaryWeight());
    }

    /**
     * Adds {@code ours} (in that order) to the draft: each one's part, the routers whose host and path no earlier
     * Ingress claimed, a problem for each lost claim, and each Ingress's status.
     */
    void resolve(List<Ingress> ours, Function<Ingress, Translated> translated,
            SnapshotDraft draft) {
        Map<Ingress, Boolean> resolved = new IdentityHashMap<>();
        Map<Ingress, List<String>> routerIds = new IdentityHashMap<>();
        Map<Ingress, Boolean> accepted = new IdentityHashMap<>();
        Map<String, Candidate> claimed = new HashMap<>();
        List<IngressCanaries.Canary> canaries = new ArrayList<>();
        for (Ingress ingress : ours) {
            routerIds.put(ingress, new ArrayList<>());
            Translated t = translated.apply(ingress);
            draft.add(t.part());
            List<Candidate> candidates = t.candidates();
            accepted.put(ingress, candidates != null);
            resolved.put(ingress, t.refsOk());
            if (candidates == null) {
                continue;
            }
            Integer canaryWeight = t.canaryWeight();
            if (canaryWeight != null) {
                // canaries never claim a path: they join their main Ingress's router after all claims are settled
                candidates.forEach(c -> canaries.add(new IngressCanaries.Canary(ingress, c.claim(), c.field(),
                        c.router().service(), canaryWeight)));
                continue;
            }
            for (Candidate c : candidates) {
                Candidate winner = claimed.putIfAbsent(c.claim(), c);
                if (winner == null) {
                    draft.router(c.router());
                    routerIds.get(ingress).add(c.router().id());
                } else {
                    draft.problem(ObjectRef.of(ingress), c.field(), "conflicts with " + winner.router().id()
                            + " (Ingress " + winner.ingress().getMetadata().getNamespace() + "/"
                            + winner.ingress().getMetadata().getName() + " is older or sorts first); not served");
                }
            }
            if (!candidates.isEmpty() && routerIds.get(ingress).isEmpty()) {
                accepted.put(ingress, false);
            }
        }
        Map<String, IngressCanaries.Main> mains = new HashMap<>();
        claimed.forEach((claim, c) -> mains.put(claim, new IngressCanaries.Main(c.ingress(), c.router())));
        new IngressCanaries().join(canaries, mains, draft).forEach((ingress, joined) -> {
            routerIds.get(ingress).addAll(joined);
            accepted.put(ingress, !joined.isEmpty());
        });
        for (Ingress ingress : ours) {
            List<String> hosts = new ArrayList<>();
            if (ingress.getSpec() != null && ingress.getSpec().getRules() != null) {
                ingress.getSpec().getRules().stream().filter(r -> r.getHost() != null)
                        .forEach(r -> hosts.add(HostNames.normalize(r.getHost())));
            }
            draft.status(ingress, accepted.get(ingress), resolved.get(ingress), routerIds.get(ingress), hosts);
        }
    }

    boolean isOurs(Ingress ingress, List<IngressClass> classes) {
        String className = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
        if (className != null) {
            return classes.stream().anyMatch(c -> className.equals(c.getMetadata().getName()) && mine(c));
        }
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        String legacy = annotations == null ? null : annotations.get(LEGACY_CLASS_ANNOTATION);
        if (legacy != null) {
            return legacy.equals(options.ingressClassName());
        }
        return classes.stream().anyMatch(c -> mine(c) && c.getMetadata().getAnnotations() != null
                && "true".equals(c.getMetadata().getAnnotations().get(DEFAULT_CLASS_ANNOTATION)));
    }

    private boolean mine(IngressClass c) {
        return c.getSpec() != null && options.controllerName().equals(c.getSpec().getController());
    }

    /** The routers of one Ingress, or null (with problems reported) when the Ingress is excluded. */
    private List<Candidate> candidates(Ingress ingress, IngressAnnotations a, SnapshotDraft draft,
            boolean[] refsOk) {
        ObjectRef ref = ObjectRef.of(ingress);
        String ns = ingress.getMetadata().getNamespace();
        String base = "ingress/" + ns + "/" + ingress.getMetadata().getName();
        List<String> errors = new ArrayList<>(a.errors());
        List<Candidate> out = new ArrayList<>();
        if (ingress.getSpec() == null) {
            errors.add("spec\u0000spec is missing");
        }
        List<String> middlewares = middlewareRefs.resolveAnnotation(ns, a.middlewares(), errors);
        String options = tlsOptions(ingress, errors, draft);
        List<IngressRule> rules = ingress.getSpec() == null || ingress.getSpec().getRules() == null
                ? List.of() : ingress.getSpec().getRules();
        List<IngressTLS> tlsEntries = ingress.getSpec() == null || ingress.getSpec().getTls() == null
                ? List.of() : ingress.getSpec().getTls();
        for (int r = 0; r < rules.size(); r++) {
            String host = rules.get(r).getHost() == null || rules.get(r).getHost().isEmpty()
                    ? null : HostNames.normalize(rules.get(r).getHost());
            if (host != null && !HostNames.isValidPattern(host)) {
                errors.add("spec.rules[" + r + "].host\u0000invalid host \"" + host + "\"");
                continue;
            }
            List<HTTPIngressPath> paths = rules.get(r).getHttp() == null || rules.get(r).getHttp().getPaths() == null
                    ? List.of() : rules.get(r).getHttp().getPaths();
            for (int p = 0; p < paths.size(); p++) {
                HTTPIngressPath path = paths.get(p);
                String field = "spec.rules[" + r + "].http.paths[" + p + "]";
                String type = path.getPathType() == null ? "ImplementationSpecific" : path.getPathType();
                String value = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
                RouteMatch.PathType pathType;
                if (type.equals("Exact")) {
                    pathType = RouteMatch.PathType.EXACT;
                } else if (type.equals("Prefix") || type.equals("ImplementationSpecific")) {
                    pathType = RouteMatch.PathType.PREFIX;
                } else {
                    errors.add(field + ".pathType\u0000unknown path type \"" + type + "\"");
                    continue;
                }
                if (!value.startsWith("/")) {
                    errors.add(field + ".path\u0000path must start with /");
                    continue;
                }
                String service = service(ingress, base, path.getBackend(), a, field + ".backend", draft, refsOk);
                if (service == null) {
                    errors.add(field + ".backend\u0000backend must name a Service and a port");
                    continue;
                }
                String id = base + "/" + r + "/" + p;
                Router router = new Router(id, entryPoints(a), new RouteMatch.IngressPath(host, value, pathType),
                        a.priority(), middlewares == null ? List.of() : middlewares,
                        middlewares == null ? draft.unavailableService() : service,
                        withOptions(routerTls(ingress, host, tlsEntries, a.tls(), draft, refsOk), options));
                out.add(new Candidate(ingress, (host == null ? "" : host) + " " + pathType + " " + value, false,
                        router, field));
            }
        }
        IngressBackend fallback = ingress.getSpec() == null ? null : ingress.getSpec().getDefaultBackend();
        if (fallback != null) {
            String service = service(ingress, base, fallback, a, "spec.defaultBackend", draft, refsOk);
            if (service == null) {
                errors.add("spec.defaultBackend\u0000backend must name a Service and a port");
            } else {
                Router router = new Router(base + "/default", entryPoints(a),
                        new RouteMatch.IngressPath(null, "/", RouteMatch.PathType.PREFIX), a.priority(),
                        middlewares == null ? List.of() : middlewares,
                        middlewares == null ? draft.unavailableService() : service,
                        a.tls() ? new RouterTls(null, options) : null);
                out.add(new Candidate(ingress, " PREFIX /", true, router, "spec.defaultBackend"));
            }
        }
        if (middlewares == null) {
            refsOk[0] = false;
        }
        for (String e : errors) {
            int split = e.indexOf('\u0000');
            String message = e.substring(split + 1);
            draft.problem(ref, e.substring(0, split), message.startsWith("ref: ") ? message.substring(5) : message);
        }
        boolean onlyRefErrors = errors.stream().allMatch(e -> e.startsWith(IngressAnnotations.MIDDLEWARES
                + "\u0000ref:"));
        if (!errors.isEmpty() && !onlyRefErrors) {
            return null;
        }
        return out;
    }

    private List<String> entryPoints(IngressAnnotations a) {
        return a.entryPoints().isEmpty() ? options.defaultEntryPoints() : a.entryPoints();
    }

    /** The {@code sluice.io/router.tls.options} TLSOption's snapshot id; null when absent or unusable. */
    private String tlsOptions(Ingress ingress, List<String> errors, SnapshotDraft draft) {
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(TLS_OPTIONS_ANNOTATION);
        if (value == null) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        String id = tlsOptions.resolveAnnotation(ingress.getMetadata().getNamespace(), value, problems, draft);
        problems.forEach(p -> errors.add("metadata.annotations." + TLS_OPTIONS_ANNOTATION + "\u0000" + p
                + "; Ingress not served rather than served with other TLS settings"));
        return id;
    }

    private static RouterTls withOptions(RouterTls tls, String options) {
        return tls == null || options == null ? tls : new RouterTls(tls.certificate(), options);
    }

    private RouterTls routerTls(Ingress ingress, String host, List<IngressTLS> entries, boolean forced,
            SnapshotDraft draft, boolean[] refsOk) {
        for (int i = 0; i < entries.size(); i++) {
            IngressTLS entry = entries.get(i);
            List<String> hosts = entry.getHosts() == null ? List.of() : entry.getHosts();
            boolean covers = host == null ? hosts.isEmpty()
                    : hosts.stream().anyMatch(h -> HostNames.normalize(h).equals(host));
            if (covers) {
                if (entry.getSecretName() == null) {
                    return new RouterTls(null, null);
                }
                String cert = tls.certificate(ingress.getMetadata().getNamespace(), entry.getSecretName(),
                        ObjectRef.of(ingress), "spec.tls[" + i + "].secretName", draft);
                if (cert == null) {
                    refsOk[0] = false;
                }
                return new RouterTls(cert, null);
            }
        }
        return forced ? new RouterTls(null, null) : null;
    }

    /** Adds the backend's load balancer to the draft and returns its id; null when the backend names no port. */
    private String service(Ingress ingress, String base, IngressBackend backend, IngressAnnotations a, String field,
            SnapshotDraft draft, boolean[] refsOk) {
        if (backend == null || backend.getService() == null || backend.getService().getPort() == null) {
            return null;
        }
        var port = backend.getService().getPort();
        IntOrString p = port.getName() != null && !port.getName().isEmpty() ? new IntOrString(port.getName())
                : port.getNumber() != null ? new IntOrString(port.getNumber()) : null;
        if (p == null) {
            return null;
        }
        String name = backend.getService().getName();
        String id = base + "/" + name + ":" + (p.getIntVal() != null ? p.getIntVal() : p.getStrVal());
        BackendResolver.Backend resolved = backends.resolve(ingress.getMetadata().getNamespace(), name, p);
        if (resolved.error() != null) {
            refsOk[0] = false;
            draft.problem(ObjectRef.of(ingress), field, resolved.error() + "; requests get 503");
        }
        Sticky sticky = a.sticky() == null ? null : a.sticky().cookieName().isEmpty()
                ? new Sticky(CookieNames.derive(id), a.sticky().secure(), a.sticky().httpOnly(),
                        a.sticky().sameSite(), a.sticky().maxAge(), a.sticky().path())
                : a.sticky();
        Service.LoadBalancer lb = new Service.LoadBalancer(id, resolved.endpoints(), a.scheme(),
                a.passHostHeader(), a.strategy(), sticky, a.healthCheck(), null, a.passiveHealthCheck());
        String ns = ingress.getMetadata().getNamespace();
        draft.service(transports.apply(lb, ns, a.serversTransport(), name + "." + ns + ".svc", ObjectRef.of(ingress),
                "metadata.annotations", (f, m) -> {
                    refsOk[0] = false;
                    draft.problem(ObjectRef.of(ingress), f, m);
                }, draft));
        return id;
    }

    private static Instant created(Ingress ingress) {
        String ts = ingress.getMetadata().getCreationTimestamp();
        try {
            return ts == null ? Instant.MAX : Instant.parse(ts);
        } catch (DateTimeParseException e) {
            return Instant.MAX;
        }
    }

}
