package io.sluice.operator.translate;

import io.sluice.operator.crd.MiddlewareRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Resolves middleware references to snapshot ids ({@code <namespace>/<name>}). When any reference of a router
 * cannot be used (missing, invalid, or in another namespace without permission) the router must fail closed, so
 * the result is then null and the router is pointed at a service that answers 503.
 */
final class MiddlewareRefs {
    private static final String CRD_SUFFIX = "@kubernetescrd";

    private final Set<String> usable;
    private final boolean allowCrossNamespace;
    private final ReadRecorder reads;

    MiddlewareRefs(Set<String> usable, boolean allowCrossNamespace) {
        this(usable, allowCrossNamespace, new ReadRecorder());
    }

    /** @param reads told of each middleware id looked up, or of all of them for a Traefik-style name */
    MiddlewareRefs(Set<String> usable, boolean allowCrossNamespace, ReadRecorder reads) {
        this.reads = reads;
        this.usable = usable;
        this.allowCrossNamespace = allowCrossNamespace;
    }

    /**
     * Resolves the {@code sluice.io/router.middlewares} annotation: {@code <namespace>-<name>} (Traefik style,
     * optional {@code @kubernetescrd}) or {@code <namespace>/<name>}. Errors are added as
     * {@code annotation\u0000ref: message}.
     */
    List<String> resolveAnnotation(String namespace, List<String> refs, List<String> errors) {
        List<String> ids = new ArrayList<>();
        boolean ok = true;
        for (String raw : refs) {
            String ref = raw.endsWith(CRD_SUFFIX) ? raw.substring(0, raw.length() - CRD_SUFFIX.length()) : raw;
            reads.read(ref.contains("/") ? InputVersions.middleware(ref) : InputVersions.ALL_MIDDLEWARES);
            List<String> matches = ref.contains("/") ? List.of(ref)
                    : usable.stream().filter(id -> id.replaceFirst("/", "-").equals(ref)).toList();
            String problem = null;
            if (matches.size() != 1 || !usable.contains(matches.get(0))) {
                problem = matches.size() > 1 ? "middleware \"" + raw + "\" is ambiguous; write <namespace>/<name>"
                        : "middleware \"" + raw + "\" is missing or invalid; requests get 503";
            } else if (!allowCrossNamespace && !matches.get(0).startsWith(namespace + "/")) {
                problem = "middleware \"" + raw + "\" is in another namespace and cross-namespace references are"
                        + " not allowed; requests get 503";
            }
            if (problem != null) {
                errors.add(IngressAnnotations.MIDDLEWARES + "\u0000ref: " + problem);
                ok = false;
            } else {
                ids.add(matches.get(0));
            }
        }
        return ok ? ids : null;
    }

    /** Resolves a route's {@code middlewares}; problems go to {@code problems} as (field, message) pairs. */
    List<String> resolveRoute(String namespace, List<MiddlewareRef> refs, String field, List<String[]> problems) {
        List<String> ids = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < refs.size(); i++) {
            MiddlewareRef ref = refs.get(i);
            String ns = ref.namespace() == null || ref.namespace().isEmpty() ? namespace : ref.namespace();
            String id = ns + "/" + ref.name();
            String where = field + "[" + i + "]";
            reads.read(InputVersions.middleware(id));
            if (!ns.equals(namespace) && !allowCrossNamespace) {
                problems.add(new String[] {where, "middleware " + id + " is in another namespace and"
                        + " cross-namespace references are not allowed; requests get 503"});
                ok = false;
            } else if (!usable.contains(id)) {
                problems.add(new String[] {where, "middleware " + id + " is missing or invalid; requests get 503"});
                ok = false;
            } else {
                ids.add(id);
            }
        }
        return ok ? ids : null;
    }
}
