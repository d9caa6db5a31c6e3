package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.MiddlewareDefinition;
import io.sluice.operator.crd.MiddlewareRef;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Translates {@code Middleware} objects into typed {@link MiddlewareSpec}s. A middleware that is invalid, whose
 * Secret is missing, or whose chain refers to a missing or invalid middleware or to itself, is left out; routes
 * that use it then fail closed.
 */
final class MiddlewareTranslator {

    private final SecretLookup secrets;
    private final boolean allowCrossNamespace;
    private final UpstreamMiddlewareTranslator upstream;

    MiddlewareTranslator(SecretLookup secrets, boolean allowCrossNamespace) {
        this(secrets, allowCrossNamespace, new BackendResolver(List.of(), List.of()));
    }

    /** @param backends resolves the Services that {@code errors} middlewares take their pages from */
    MiddlewareTranslator(SecretLookup secrets, boolean allowCrossNamespace, BackendResolver backends) {
        this.secrets = secrets;
        this.allowCrossNamespace = allowCrossNamespace;
        this.upstream = new UpstreamMiddlewareTranslator(backends, allowCrossNamespace);
    }

    /** Adds the usable middlewares to the draft and returns their ids ({@code <namespace>/<name>}). */
    Set<String> translate(List<Middleware> middlewares, SnapshotDraft draft) {
        Map<String, Middleware> byId = new HashMap<>();
        Map<String, MiddlewareSpec> specs = new HashMap<>();
        Map<String, List<String>> errors = new HashMap<>();
        for (Middleware m : middlewares) {
            String id = id(m);
            byId.put(id, m);
            List<String> problems = new ArrayList<>();
            MiddlewareSpec spec = toSpec(m, problems, draft);
            if (spec != null && problems.isEmpty()) {
                specs.put(id, spec);
            }
            errors.put(id, problems);
        }
        Set<String> usable = new TreeSet<>();
        Map<String, Boolean> resolved = new HashMap<>();
        for (String id : byId.keySet()) {
            if (chainResolves(id, specs, resolved, new java.util.LinkedHashSet<>(), errors)) {
                usable.add(id);
            }
        }
        for (Map.Entry<String, Middleware> e : byId.entrySet()) {
            String id = e.getKey();
            boolean ok = usable.contains(id);
            for (String message : errors.get(id)) {
                draft.problem(ObjectRef.of(e.getValue()), "spec",
                        message.startsWith("ref: ") ? message.substring(5) : message);
            }
            if (ok) {
                draft.middleware(new io.sluice.snapshot.Middleware(id, specs.get(id)));
            }
            draft.status(e.getValue(), ok || !errors.get(id).stream().anyMatch(s -> !s.startsWith("ref:")),
                    ok, List.of(), List.of());
        }
        return usable;
    }

    static String id(Middleware m) {
        return m.getMetadata().getNamespace() + "/" + m.getMetadata().getName();
    }

    /** Depth-first over chains; {@code path} holds the chain being followed, so a cycle is found, not recursed. */
    private boolean chainResolves(String id, Map<String, MiddlewareSpec> specs, Map<String, Boolean> resolved,
            java.util.LinkedHashSet<String> path, Map<String, List<String>> errors) {
        Boolean known = resolved.get(id);
        if (known != null) {
            return known;
        }
        MiddlewareSpec spec = specs.get(id);
        if (spec == null) {
            return false;
        }
        boolean ok = true;
        if (spec instanceof MiddlewareSpec.Chain chain) {
            path.add(id);
            for (String child : chain.middlewares()) {
                if (path.contains(child)) {
                    errors.get(id).add("ref: chain cycle " + String.join(" -> ", path) + " -> " + child);
                    ok = false;
                } else if (!specs.containsKey(child)) {
                    errors.get(id).add("ref: chain middleware " + child + " is missing or invalid");
                    ok = false;
                } else if (!chainResolves(child, specs, resolved, path, errors)) {
                    errors.get(id).add("ref: chain middleware " + child + " is not usable");
                    ok = false;
                }
            }
            path.remove(id);
        }
        resolved.put(id, ok);
        return ok;
    }

    private MiddlewareSpec toSpec(Middleware m, List<String> problems, SnapshotDraft draft) {
        MiddlewareDefinition d = m.getSpec();
        if (d == null) {
            problems.add("spec is missing");
            return null;
        }
        long set = Arrays.asList(d.addPrefix(), d.stripPrefix(), d.replacePath(), d.redirectScheme(), d.headers(),
                d.basicAuth(), d.ipAllowList(), d.rateLimit(), d.chain(), d.stripPrefixRegex(), d.replacePathRegex(),
                d.redirectRegex(), d.contentType(), d.retry(), d.errors(), d.forwardAuth(), d.inFlightReq(),
                d.circuitBreaker(), d.compress(), d.buffering()).stream().filter(Objects::nonNull).count();
        if (set != 1) {
            problems.add("exactly one middleware type must be set, found " + set);
            return null;
        }
        if (!PlainMiddlewareChecks.valid(d, problems)) {
            return null;
        }
        String namespace = m.getMetadata().getNamespace();
        if (d.addPrefix() != null) {
            return new MiddlewareSpec.AddPrefix(d.addPrefix().prefix());
        }
        if (d.stripPrefix() != null) {
            return new MiddlewareSpec.StripPrefix(d.stripPrefix().prefixes());
        }
        if (d.replacePath() != null) {
            return new MiddlewareSpec.ReplacePath(d.replacePath().path());
        }
        if (d.redirectScheme() != null) {
            MiddlewareDefinition.RedirectScheme r = d.redirectScheme();
            return new MiddlewareSpec.RedirectScheme(r.scheme(), r.port(), Boolean.TRUE.equals(r.permanent()));
        }
        if (d.headers() != null) {
            return HeadMiddlewareTranslation.headers(d.headers(), problems);
        }
        if (d.stripPrefixRegex() != null) {
            return HeadMiddlewareTranslation.stripPrefixRegex(d.stripPrefixRegex(), problems);
        }
        if (d.replacePathRegex() != null) {
            return HeadMiddlewareTranslation.replacePathRegex(d.replacePathRegex(), problems);
        }
        if (d.redirectRegex() != null) {
            return HeadMiddlewareTranslation.redirectRegex(d.redirectRegex(), problems);
        }
        if (d.contentType() != null) {
            return HeadMiddlewareTranslation.contentType(d.contentType(), problems);
        }
        if (d.basicAuth() != null) {
            return basicAuth(namespace, d.basicAuth(), problems);
        }
        if (d.ipAllowList() != null) {
            return new MiddlewareSpec.IpAllowList(d.ipAllowList().sourceRange(),
                    ipStrategy(d.ipAllowList().ipStrategy()));
        }
        if (d.rateLimit() != null) {
            return rateLimit(d.rateLimit(), problems);
        }
        if (d.retry() != null || d.errors() != null || d.forwardAuth() != null) {
            return upstream.toSpec(m, problems, draft);
        }
        if (d.inFlightReq() != null) {
            return new MiddlewareSpec.InFlightReq(d.inFlightReq().amount() == null ? 0 : d.inFlightReq().amount(),
                    sourceCriterion(d.inFlightReq().sourceCriterion()));
        }
        if (d.circuitBreaker() != null) {
            return ExchangeMiddlewares.circuitBreaker(d.circuitBreaker(), problems);
        }
        if (d.compress() != null) {
            return ExchangeMiddlewares.compress(d.compress(), problems);
        }
        if (d.buffering() != null) {
            return ExchangeMiddlewares.buffering(d.buffering(), problems);
        }
        List<String> ids = new ArrayList<>();
        for (MiddlewareRef ref : d.chain().middlewares()) {
            String ns = ref.namespace() == null ? namespace : ref.namespace();
            if (!ns.equals(namespace) && !allowCrossNamespace) {
                problems.add("ref: chain middleware " + ns + "/" + ref.name()
                        + " is in another namespace and cross-namespace references are not allowed");
            }
            ids.add(ns + "/" + ref.name());
        }
        return new MiddlewareSpec.Chain(ids);
    }

    private MiddlewareSpec basicAuth(String namespace, MiddlewareDefinition.BasicAuth b, List<String> problems) {
        Secret secret = secrets.find(namespace, b.secret());
        String users = secret == null ? null : secrets.value(secret, "users");
        if (users == null) {
            problems.add("ref: basicAuth Secret " + namespace + "/" + b.secret()
                    + (secret == null ? " not found" : " has no \"users\" key"));
            return null;
        }
        List<String> lines = users.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            problems.add("ref: basicAuth Secret " + namespace + "/" + b.secret() + " lists no users");
            return null;
        }
        return new MiddlewareSpec.BasicAuth(lines, b.realm(), Boolean.TRUE.equals(b.removeHeader()),
                b.headerField());
    }

    private static MiddlewareSpec rateLimit(MiddlewareDefinition.RateLimit r, List<String> problems) {
        long periodMillis = 1000;
        IntOrString period = r.period();
        if (period != null && period.getIntVal() != null) {
            periodMillis = period.getIntVal() * 1000L;
        } else if (period != null && period.getStrVal() != null) {
            long parsed = Durations.millis(period.getStrVal());
            if (parsed < 0) {
                problems.add("rateLimit.period \"" + period.getStrVal() + "\" is not a duration like 1s, 500ms, 1m");
                return null;
            }
            periodMillis = parsed;
        }
        if (periodMillis <= 0) {
            problems.add("rateLimit.period must be > 0");
            return null;
        }
        MiddlewareSpec.SourceCriterion criterion = sourceCriterion(r.sourceCriterion());
        long average = r.average() == null ? 0 : r.average();
        long burst = r.burst() == null ? 1 : r.burst();
        return new MiddlewareSpec.RateLimit(average, periodMillis, burst, criterion);
    }

    private static MiddlewareSpec.SourceCriterion sourceCriterion(MiddlewareDefinition.SourceCriterion c) {
        return c == null ? null : new MiddlewareSpec.SourceCriterion(ipStrategy(c.ipStrategy()),
                c.requestHeaderName(), Boolean.TRUE.equals(c.requestHost()));
    }

    private static MiddlewareSpec.IpStrategy ipStrategy(MiddlewareDefinition.IpStrategy s) {
        return s == null ? null
                : new MiddlewareSpec.IpStrategy(s.depth() == null ? 0 : s.depth(), s.excludedIPs());
    }
}
