package io.sluice.proxy.router;

import io.sluice.snapshot.RouteMatch;
import java.util.Optional;
import java.util.Set;

/**
 * The host names a router can match, for the TLS layer: a handshake happens before any request, so the TLS
 * options of a router apply per server name, and the server names of a router are read off its rule the same
 * way the compiled router indexes it by host. Stateless; call it off the event loop.
 */
public final class RouterHosts {
    private final RuleParser ruleParser = new RuleParser();

    /**
     * Literal hosts (lower case) and wildcard domains ({@code example.com} for {@code *.example.com}) of a
     * router; empty when the rule does not constrain the host (or does not parse).
     */
    public Optional<Hosts> of(RouteMatch match) {
        RequestMatcher matcher;
        try {
            matcher = match instanceof RouteMatch.Rule
                    ? ruleParser.parse(((RouteMatch.Rule) match).expression())
                    : new IngressPathMatcher((RouteMatch.IngressPath) match);
        } catch (RuleSyntaxException e) {
            return Optional.empty();
        }
        HostConstraint constraint = HostConstraint.of(matcher);
        return constraint.isAny() ? Optional.empty()
                : Optional.of(new Hosts(constraint.literalHosts(), constraint.wildcardDomains()));
    }

    /** @param wildcardDomains parent domains of one-label wildcards */
    public record Hosts(Set<String> literalHosts, Set<String> wildcardDomains) {
        public Hosts {
            literalHosts = Set.copyOf(literalHosts);
            wildcardDomains = Set.copyOf(wildcardDomains);
        }
    }
}
