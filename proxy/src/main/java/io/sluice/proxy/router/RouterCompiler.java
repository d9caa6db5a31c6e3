package io.sluice.proxy.router;

import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the snapshot's routers into a {@link CompiledRouter}: parses every rule, orders routers by priority
 * (higher first, then id ascending; see {@link DefaultPriority} for priority 0), and indexes them per entrypoint
 * and host. All or nothing: every router that does not compile is reported in one exception. Stateless and
 * thread-safe; call it off the event loop.
 */
public final class RouterCompiler {
    private static final Comparator<RouteCandidate<?>> PRIORITY_ORDER =
            Comparator.<RouteCandidate<?>>comparingLong(RouteCandidate::priority).reversed()
                    .thenComparing(RouteCandidate::id);

    private final RuleParser ruleParser = new RuleParser();

    public <T> CompiledRouter<T> compile(List<RouteEntry<T>> entries) throws RouterCompileException {
        List<String> problems = new ArrayList<>();
        List<RouteCandidate<T>> candidates = new ArrayList<>(entries.size());
        for (RouteEntry<T> entry : entries) {
            Router router = entry.router();
            try {
                RequestMatcher matcher = matcherFor(router.match());
                candidates.add(new RouteCandidate<>(0, router.id(), DefaultPriority.of(router),
                        router.entryPoints(), matcher, HostConstraint.of(matcher), entry.payload()));
            } catch (RuleSyntaxException e) {
                problems.add("router " + router.id() + ": invalid rule " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new RouterCompileException(problems);
        }
        candidates.sort(PRIORITY_ORDER);
        List<RouteCandidate<T>> ranked = new ArrayList<>(candidates.size());
        Set<String> entryPointNames = new LinkedHashSet<>();
        for (RouteCandidate<T> candidate : candidates) {
            ranked.add(candidate.withRank(ranked.size()));
            entryPointNames.addAll(candidate.entryPoints());
        }
        Map<String, HostIndex<T>> byEntryPoint = new HashMap<>();
        for (String name : entryPointNames) {
            byEntryPoint.put(name, new HostIndex<>(listeningOn(ranked, name)));
        }
        return new IndexedRouter<>(byEntryPoint, new HostIndex<>(listeningOn(ranked, null)));
    }

    /** The routers that listen on {@code entryPoint}, or (for null) on every entrypoint, in rank order. */
    private static <T> List<RouteCandidate<T>> listeningOn(List<RouteCandidate<T>> ranked, String entryPoint) {
        List<RouteCandidate<T>> on = new ArrayList<>();
        for (RouteCandidate<T> candidate : ranked) {
            if (entryPoint == null ? candidate.entryPoints().isEmpty() : candidate.listensOn(entryPoint)) {
                on.add(candidate);
            }
        }
        return on;
    }

    private RequestMatcher matcherFor(RouteMatch match) throws RuleSyntaxException {
        if (match instanceof RouteMatch.Rule) {
            return ruleParser.parse(((RouteMatch.Rule) match).expression());
        }
        return new IngressPathMatcher((RouteMatch.IngressPath) match);
    }
}
