package io.sluice.operator.translate;

import io.sluice.operator.crd.MiddlewareDefinition;
import io.sluice.proxy.config.CidrBlock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The translator's own checks of the middlewares that are copied into the snapshot field by field ({@code addPrefix},
 * {@code stripPrefix}, {@code replacePath}, {@code redirectScheme}, {@code ipAllowList}, {@code rateLimit},
 * {@code inFlightReq}, {@code chain}). The CRD schema says the same, but objects also arrive without it (standalone
 * mode reads plain YAML; a CRD installed without validation): a value the proxy would refuse must be reported on
 * the Middleware here, or the proxy would refuse the whole snapshot and every other route with it.
 */
final class PlainMiddlewareChecks {
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private PlainMiddlewareChecks() {
    }

    /** Adds one message per unusable value of {@code d}'s middleware to {@code problems}; true if none. */
    static boolean valid(MiddlewareDefinition d, List<String> problems) {
        int before = problems.size();
        if (d.addPrefix() != null) {
            path("addPrefix.prefix", d.addPrefix().prefix(), problems);
        }
        if (d.stripPrefix() != null) {
            List<String> prefixes = d.stripPrefix().prefixes();
            if (prefixes == null || prefixes.isEmpty()) {
                problems.add("stripPrefix.prefixes must list at least one prefix");
            } else {
                for (int i = 0; i < prefixes.size(); i++) {
                    path("stripPrefix.prefixes[" + i + "]", prefixes.get(i), problems);
                }
            }
        }
        if (d.replacePath() != null) {
            path("replacePath.path", d.replacePath().path(), problems);
        }
        if (d.redirectScheme() != null) {
            redirectScheme(d.redirectScheme(), problems);
        }
        if (d.ipAllowList() != null) {
            List<String> ranges = d.ipAllowList().sourceRange();
            if (ranges == null || ranges.isEmpty()) {
                problems.add("ipAllowList.sourceRange must list at least one IP address or CIDR block");
            } else {
                addresses("ipAllowList.sourceRange", ranges, problems);
            }
            ipStrategy("ipAllowList.ipStrategy", d.ipAllowList().ipStrategy(), problems);
        }
        if (d.rateLimit() != null) {
            MiddlewareDefinition.RateLimit r = d.rateLimit();
            if (r.average() != null && r.average() < 0) {
                problems.add("rateLimit.average must be 0 or more");
            }
            if (r.burst() != null && r.burst() < 0) {
                problems.add("rateLimit.burst must be 0 or more");
            }
            sourceCriterion("rateLimit.sourceCriterion", r.sourceCriterion(), problems);
        }
        if (d.inFlightReq() != null) {
            if (d.inFlightReq().amount() == null || d.inFlightReq().amount() < 1) {
                problems.add("inFlightReq.amount is required and must be at least 1");
            }
            sourceCriterion("inFlightReq.sourceCriterion", d.inFlightReq().sourceCriterion(), problems);
        }
        if (d.chain() != null && (d.chain().middlewares() == null || d.chain().middlewares().isEmpty())) {
            problems.add("chain.middlewares must list at least one middleware");
        }
        return problems.size() == before;
    }

    /** Required, absolute, and nothing that could end or split a request line. */
    private static void path(String field, String value, List<String> problems) {
        if (value == null || !value.startsWith("/")) {
            problems.add(field + " is required and must start with /");
        } else if (value.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            problems.add(field + " must not contain spaces or control characters");
        }
    }

    private static void redirectScheme(MiddlewareDefinition.RedirectScheme r, List<String> problems) {
        if (r.scheme() == null || !r.scheme().equals("http") && !r.scheme().equals("https")) {
            problems.add("redirectScheme.scheme must be http or https");
        }
        if (r.port() != null && (!PORT.matcher(r.port()).matches() || Integer.parseInt(r.port()) < 1
                || Integer.parseInt(r.port()) > 65535)) {
            problems.add("redirectScheme.port \"" + r.port() + "\" is not a port 1..65535");
        }
    }

    private static void sourceCriterion(String field, MiddlewareDefinition.SourceCriterion c,
            List<String> problems) {
        if (c != null) {
            ipStrategy(field + ".ipStrategy", c.ipStrategy(), problems);
        }
    }

    private static void ipStrategy(String field, MiddlewareDefinition.IpStrategy s, List<String> problems) {
        if (s == null) {
            return;
        }
        if (s.depth() != null && s.depth() < 0) {
            problems.add(field + ".depth must be 0 or more");
        }
        if (s.excludedIPs() != null) {
            addresses(field + ".excludedIPs", s.excludedIPs(), problems);
        }
    }

    /** IP literals or CIDR blocks, read as the proxy reads them (never a host name, so never a DNS lookup). */
    private static void addresses(String field, List<String> entries, List<String> problems) {
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i) == null ? "" : entries.get(i).trim();
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            boolean literal = address.indexOf(':') >= 0 ? IPV6_LITERAL.matcher(address).matches()
                    : DOTTED_QUAD.matcher(address).matches();
            String problem = literal ? null : "\"" + entry + "\" is not an IP address or CIDR block";
            if (literal) {
                try {
                    CidrBlock.parse(entry);
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
            }
            if (problem != null) {
                problems.add(field + "[" + i + "]: " + problem);
            }
        }
    }
}
