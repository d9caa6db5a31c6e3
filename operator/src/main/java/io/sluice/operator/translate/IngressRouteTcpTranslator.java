package io.sluice.operator.translate;

import io.sluice.operator.crd.IngressRouteTCP;
import io.sluice.operator.crd.IngressRouteTCPSpec;
import io.sluice.operator.crd.IngressRouteTCPTls;
import io.sluice.operator.crd.TcpRoute;
import io.sluice.operator.crd.TcpServiceRef;
import io.sluice.snapshot.TcpRouter;
import io.sluice.snapshot.TcpService;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates IngressRouteTCPs into TLS passthrough routes: each route becomes a {@link TcpRouter} matching its
 * {@code HostSNI}/{@code HostSNIRegexp} names and a {@link TcpService} with one weighted backend per Service port.
 * An object without {@code tls.passthrough: true} is refused whole (terminated and plain TCP are not served);
 * a route with an unusable match or with middlewares is left out; a missing Service, port or a cross-namespace
 * reference gives a backend without endpoints (connections to it are closed) and {@code ResolvedRefs=False}.
 */
final class IngressRouteTcpTranslator {
    private final TranslationOptions options;
    private final BackendResolver backends;

    IngressRouteTcpTranslator(TranslationOptions options, BackendResolver backends) {
        this.options = options;
        this.backends = backends;
    }

    void translate(IngressRouteTCP irt, SnapshotDraft draft) {
        ObjectRef ref = ObjectRef.of(irt);
        String ns = irt.getMetadata().getNamespace();
        IngressRouteTCPSpec spec = irt.getSpec();
        if (spec == null || spec.routes() == null || spec.routes().isEmpty()) {
            draft.problem(ref, "spec.routes", "at least one route is required");
            draft.status(irt, false, true, List.of(), List.of());
            return;
        }
        if (!passthrough(spec.tls(), ref, draft)) {
            draft.status(irt, false, true, List.of(), List.of());
            return;
        }
        String base = ns + "/" + irt.getMetadata().getName();
        List<String> entryPoints = spec.entryPoints() == null ? List.of() : spec.entryPoints();
        List<String> routerIds = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        boolean resolved = true;
        for (int r = 0; r < spec.routes().size(); r++) {
            TcpRoute route = spec.routes().get(r);
            String field = "spec.routes[" + r + "]";
            HostSniExpression.Parsed match = HostSniExpression.parse(route.match());
            if (match.error() != null) {
                draft.problem(ref, field + ".match", match.error() + "; route not served");
                continue;
            }
            if (route.middlewares() != null && !route.middlewares().isEmpty()) {
                draft.problem(ref, field + ".middlewares", "TCP middlewares are not supported; route not served"
                        + " rather than served without them");
                continue;
            }
            if (route.services() == null || route.services().isEmpty()) {
                draft.problem(ref, field + ".services", "at least one service is required; route not served");
                continue;
            }
            String serviceId = "tcp/" + base + "/" + r;
            List<TcpService.Backend> serviceBackends = new ArrayList<>();
            for (int s = 0; s < route.services().size(); s++) {
                resolved &= backend(ns, route.services().get(s), field + ".services[" + s + "]", ref,
                        serviceBackends, draft);
            }
            draft.tcpService(new TcpService(serviceId, serviceBackends));
            String routerId = "ingressroutetcp/" + base + "/" + r;
            int priority = route.priority() == null || route.priority() == 0
                    ? route.match().length() : route.priority();
            draft.tcpRouter(new TcpRouter(routerId, entryPoints, match.hostSni(), match.hostSniRegexp(), priority,
                    serviceId));
            routerIds.add(routerId);
            hosts.addAll(match.hostSni());
        }
        draft.status(irt, !routerIds.isEmpty(), resolved, routerIds, hosts);
    }

    /** True when the object asks for passthrough; otherwise reports why it is refused. */
    private static boolean passthrough(IngressRouteTCPTls tls, ObjectRef ref, SnapshotDraft draft) {
        if (tls == null || !Boolean.TRUE.equals(tls.passthrough())) {
            draft.problem(ref, "spec.tls.passthrough", "only TLS passthrough is supported (set tls.passthrough:"
                    + " true); plain TCP and TLS terminated by the proxy are not served");
            return false;
        }
        if (tls.secretName() != null || tls.options() != null) {
            draft.problem(ref, "spec.tls", "secretName and options are ignored with passthrough: the backend"
                    + " terminates TLS with its own certificate");
        }
        return true;
    }

    /** Adds the backend of one Service reference; false when it could not be resolved (it then has no endpoints). */
    private boolean backend(String ns, TcpServiceRef ref, String field, ObjectRef owner,
            List<TcpService.Backend> out, SnapshotDraft draft) {
        String refNs = ref.namespace() == null || ref.namespace().isEmpty() ? ns : ref.namespace();
        int weight = ref.weight() == null ? 1 : ref.weight();
        String port = ref.port() == null ? "" : ref.port().getIntVal() != null ? String.valueOf(ref.port().getIntVal())
                : ref.port().getStrVal();
        String name = refNs + "/" + ref.name() + ":" + port;
        String error;
        if (!refNs.equals(ns) && !options.allowCrossNamespace()) {
            error = "Service " + refNs + "/" + ref.name() + " is in another namespace and cross-namespace"
                    + " references are not allowed; its connections are closed";
        } else if (ref.port() == null) {
            error = "port is required; its connections are closed";
        } else {
            BackendResolver.Backend resolved = backends.resolve(refNs, ref.name(), ref.port());
            if (resolved.error() == null) {
                out.add(new TcpService.Backend(name, weight, resolved.endpoints()));
                return true;
            }
            error = resolved.error() + "; its connections are closed";
        }
        draft.problem(owner, field, error);
        out.add(new TcpService.Backend(name, weight, List.of()));
        return false;
    }
}
