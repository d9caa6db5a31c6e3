package io.sluice.operator.translate;

import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.MiddlewareDefinition;
import io.sluice.proxy.side.SideTarget;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.Service;
import java.util.List;

/**
 * Translates the middlewares that make the proxy talk to other services: {@code retry}, {@code errors} (whose
 * Kubernetes Service becomes a snapshot service of its own, id {@code middleware/<namespace>/<name>/errors}) and
 * {@code forwardAuth}. Problems are added to the list the caller reports on the Middleware's status; the
 * {@code ref: } prefix marks a missing reference rather than an invalid spec.
 */
final class UpstreamMiddlewareTranslator {
    private static final long DEFAULT_RETRY_INTERVAL_MILLIS = 100;

    private final BackendResolver backends;
    private final boolean allowCrossNamespace;

    UpstreamMiddlewareTranslator(BackendResolver backends, boolean allowCrossNamespace) {
        this.backends = backends;
        this.allowCrossNamespace = allowCrossNamespace;
    }

    /** The snapshot service id of an {@code errors} middleware's pages. */
    static String errorServiceId(Middleware m) {
        return "middleware/" + MiddlewareTranslator.id(m) + "/errors";
    }

    /** @return the spec, or null with the reasons added to {@code problems} */
    MiddlewareSpec toSpec(Middleware m, List<String> problems, SnapshotDraft draft) {
        MiddlewareDefinition d = m.getSpec();
        if (d.retry() != null) {
            return retry(d.retry(), problems);
        }
        if (d.errors() != null) {
            return errors(m, d.errors(), problems, draft);
        }
        return forwardAuth(d.forwardAuth(), problems);
    }

    private static MiddlewareSpec retry(MiddlewareDefinition.Retry r, List<String> problems) {
        if (r.attempts() == null || r.attempts() < 1) {
            problems.add("retry.attempts must be at least 1");
            return null;
        }
        long interval = DEFAULT_RETRY_INTERVAL_MILLIS;
        if (r.initialInterval() != null) {
            long parsed = Durations.millis(r.initialInterval());
            if (parsed < 0) {
                problems.add("retry.initialInterval \"" + r.initialInterval()
                        + "\" is not a duration like 100ms, 1s");
                return null;
            }
            interval = parsed;
        }
        return new MiddlewareSpec.Retry(r.attempts(), interval);
    }

    private MiddlewareSpec errors(Middleware m, MiddlewareDefinition.Errors e, List<String> problems,
            SnapshotDraft draft) {
        if (e.status() == null || e.status().isEmpty()) {
            problems.add("errors.status must list at least one status or range");
            return null;
        }
        for (String range : e.status()) {
            if (!validRange(range)) {
                problems.add("errors.status \"" + range + "\" is not a status (404) or a range (500-599)");
                return null;
            }
        }
        MiddlewareDefinition.ErrorService ref = e.service();
        if (ref == null || ref.name() == null || ref.port() == null) {
            problems.add("errors.service needs a name and a port");
            return null;
        }
        String namespace = m.getMetadata().getNamespace();
        String serviceNamespace = ref.namespace() == null || ref.namespace().isEmpty() ? namespace : ref.namespace();
        if (!serviceNamespace.equals(namespace) && !allowCrossNamespace) {
            problems.add("ref: errors Service " + serviceNamespace + "/" + ref.name()
                    + " is in another namespace and cross-namespace references are not allowed");
            return null;
        }
        BackendResolver.Backend backend = backends.resolve(serviceNamespace, ref.name(), ref.port());
        if (backend.error() != null) {
            problems.add("ref: errors " + backend.error());
            return null;
        }
        String id = errorServiceId(m);
        draft.service(Service.LoadBalancer.of(id, backend.endpoints()));
        return new MiddlewareSpec.Errors(e.status(), id, e.query());
    }

    private static boolean validRange(String range) {
        if (range == null || !range.matches("[1-5][0-9][0-9](-[1-5][0-9][0-9])?")) {
            return false;
        }
        String[] bounds = range.split("-");
        return bounds.length == 1 || Integer.parseInt(bounds[0]) <= Integer.parseInt(bounds[1]);
    }

    private static MiddlewareSpec forwardAuth(MiddlewareDefinition.ForwardAuth f, List<String> problems) {
        if (f.address() == null) {
            problems.add("forwardAuth.address is required");
            return null;
        }
        try {
            SideTarget.parse(f.address());
        } catch (IllegalArgumentException ex) {
            problems.add("forwardAuth." + ex.getMessage());
            return null;
        }
        if (f.authResponseHeadersRegex() != null && !f.authResponseHeadersRegex().isEmpty()) {
            try {
                com.google.re2j.Pattern.compile(f.authResponseHeadersRegex());
            } catch (com.google.re2j.PatternSyntaxException ex) {
                problems.add("forwardAuth.authResponseHeadersRegex is not a valid regular expression: "
                        + ex.getDescription());
                return null;
            }
        }
        boolean skipVerify = f.tls() != null && Boolean.TRUE.equals(f.tls().insecureSkipVerify());
        return new MiddlewareSpec.ForwardAuth(f.address(), Boolean.TRUE.equals(f.trustForwardHeader()),
                f.authResponseHeaders(), f.authResponseHeadersRegex(), f.authRequestHeaders(),
                f.addAuthCookiesToResponse(), skipVerify);
    }
}
