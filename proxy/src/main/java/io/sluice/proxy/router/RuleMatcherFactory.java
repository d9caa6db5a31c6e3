package io.sluice.proxy.router;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Builds one Traefik matcher from its name and arguments, checking the argument count and each argument's
 * syntax (paths start with {@code /}, regular expressions compile, CIDRs parse). Names are case-sensitive, as in
 * Traefik.
 */
final class RuleMatcherFactory {
    private static final String MATCHERS = "Host, HostRegexp, Path, PathPrefix, PathRegexp, Method, Header, "
            + "HeaderRegexp, Query, QueryRegexp, ClientIP";

    RequestMatcher create(String name, List<String> args, int position) throws RuleSyntaxException {
        switch (name) {
            case "Host":
                arity(name, args, 1, 1, position);
                return new RuleMatchers.Host(host(args.get(0), position));
            case "HostRegexp":
                arity(name, args, 1, 1, position);
                return new RuleMatchers.HostRegexp(regexp(name, args.get(0), position));
            case "Path":
                arity(name, args, 1, 1, position);
                return new RuleMatchers.Path(path(name, args.get(0), position));
            case "PathPrefix":
                arity(name, args, 1, 1, position);
                return new RuleMatchers.PathPrefix(path(name, args.get(0), position));
            case "PathRegexp":
                arity(name, args, 1, 1, position);
                return new RuleMatchers.PathRegexp(regexp(name, args.get(0), position));
            case "Method":
                arity(name, args, 1, 1, position);
                return new RuleMatchers.Method(nonEmpty(name, args.get(0), position).toUpperCase(Locale.ROOT));
            case "Header":
                arity(name, args, 2, 2, position);
                return new RuleMatchers.Header(nonEmpty(name, args.get(0), position), args.get(1));
            case "HeaderRegexp":
                arity(name, args, 2, 2, position);
                return new RuleMatchers.HeaderRegexp(nonEmpty(name, args.get(0), position),
                        regexp(name, args.get(1), position));
            case "Query":
                arity(name, args, 1, 2, position);
                String key = nonEmpty(name, args.get(0), position);
                return args.size() == 1 ? new RuleMatchers.QueryPresent(key)
                        : new RuleMatchers.Query(key, args.get(1));
            case "QueryRegexp":
                arity(name, args, 2, 2, position);
                return new RuleMatchers.QueryRegexp(nonEmpty(name, args.get(0), position),
                        regexp(name, args.get(1), position));
            case "ClientIP":
                arity(name, args, 1, 1, position);
                try {
                    return ClientIpMatcher.parse(args.get(0));
                } catch (IllegalArgumentException e) {
                    throw new RuleSyntaxException(position, "ClientIP: " + e.getMessage());
                }
            default:
                throw new RuleSyntaxException(position, "unknown matcher '" + name + "', expected one of "
                        + MATCHERS);
        }
    }

    private static void arity(String name, List<String> args, int min, int max, int position)
            throws RuleSyntaxException {
        if (args.size() < min || args.size() > max) {
            String expected = min == max ? String.valueOf(min) : min + " or " + max;
            throw new RuleSyntaxException(position, name + " expects " + expected + " argument"
                    + (max == 1 ? "" : "s") + " but got " + args.size());
        }
    }

    private static String nonEmpty(String name, String value, int position) throws RuleSyntaxException {
        if (value.isEmpty()) {
            throw new RuleSyntaxException(position, name + ": expected a non-empty argument");
        }
        return value;
    }

    private static String host(String value, int position) throws RuleSyntaxException {
        String host = nonEmpty("Host", value, position).toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    private static String path(String name, String value, int position) throws RuleSyntaxException {
        if (!value.startsWith("/")) {
            throw new RuleSyntaxException(position, name + ": path \"" + value + "\" must start with /");
        }
        return value;
    }

    private static Pattern regexp(String name, String value, int position) throws RuleSyntaxException {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new RuleSyntaxException(position, name + ": invalid regular expression: " + e.getMessage());
        }
    }
}
