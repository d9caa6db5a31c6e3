package io.sluice.proxy.router;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The hosts a router can possibly match, read off its matcher so the compiled router can index it by host:
 * literal hosts, and wildcard domains ({@code example.com} for {@code *.example.com}, one extra label).
 * {@link #ANY} means the router may match any host and goes to the fallback list.
 */
record HostConstraint(Set<String> literalHosts, Set<String> wildcardDomains) {
    static final HostConstraint ANY = new HostConstraint(null, null);

    HostConstraint {
        literalHosts = literalHosts == null ? null : Set.copyOf(literalHosts);
        wildcardDomains = wildcardDomains == null ? null : Set.copyOf(wildcardDomains);
    }

    boolean isAny() {
        return literalHosts == null;
    }

    /**
     * What a matcher constrains: {@code Host(h)} gives {@code {h}}; a conjunction gives the narrowest of its
     * operands' constraints; a disjunction gives the union when every operand is constrained; anything else
     * (a negation, a regexp, a matcher on something other than the host) constrains nothing.
     */
    static HostConstraint of(RequestMatcher matcher) {
        if (matcher instanceof RuleMatchers.Host) {
            return new HostConstraint(Set.of(((RuleMatchers.Host) matcher).host()), Set.of());
        }
        if (matcher instanceof IngressPathMatcher) {
            IngressPathMatcher ingress = (IngressPathMatcher) matcher;
            if (ingress.literalHost() != null) {
                return new HostConstraint(Set.of(ingress.literalHost()), Set.of());
            }
            if (ingress.wildcardDomain() != null) {
                return new HostConstraint(Set.of(), Set.of(ingress.wildcardDomain()));
            }
            return ANY;
        }
        if (matcher instanceof RuleMatchers.AllOf) {
            HostConstraint narrowest = ANY;
            for (RequestMatcher operand : ((RuleMatchers.AllOf) matcher).operands()) {
                HostConstraint c = of(operand);
                if (!c.isAny() && (narrowest.isAny() || c.size() < narrowest.size())) {
                    narrowest = c;
                }
            }
            return narrowest;
        }
        if (matcher instanceof RuleMatchers.AnyOf) {
            Set<String> literal = new LinkedHashSet<>();
            Set<String> wildcard = new LinkedHashSet<>();
            for (RequestMatcher operand : ((RuleMatchers.AnyOf) matcher).operands()) {
                HostConstraint c = of(operand);
                if (c.isAny()) {
                    return ANY;
                }
                literal.addAll(c.literalHosts());
                wildcard.addAll(c.wildcardDomains());
            }
            return new HostConstraint(literal, wildcard);
        }
        return ANY;
    }

    private int size() {
        return literalHosts.size() + wildcardDomains.size();
    }
}
