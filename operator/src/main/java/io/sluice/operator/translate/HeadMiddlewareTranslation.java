package io.sluice.operator.translate;

import io.sluice.operator.crd.MiddlewareDefinition;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.RegexTemplate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Translates the middlewares that only change the request or response head (regex path rewrites, regex redirect,
 * headers with CORS and security headers, contentType), checking what the CRD schema cannot: that regexes compile
 * in RE2 syntax, that replacements only use groups the regex has, that header values hold no line break. A problem
 * is reported on the Middleware's status and the middleware is left out, so routes using it fail closed instead of
 * every proxy refusing the whole snapshot.
 */
final class HeadMiddlewareTranslation {
    private HeadMiddlewareTranslation() {
    }

    static MiddlewareSpec stripPrefixRegex(MiddlewareDefinition.StripPrefixRegex s, List<String> problems) {
        List<String> regexes = s.regex() == null ? List.of() : s.regex();
        if (regexes.isEmpty()) {
            problems.add("stripPrefixRegex.regex needs at least one regex");
            return null;
        }
        for (int i = 0; i < regexes.size(); i++) {
            String regex = regexes.get(i);
            compiles("stripPrefixRegex.regex[" + i + "]", () -> RegexTemplate.pattern(regex), problems);
        }
        return problems.isEmpty() ? new MiddlewareSpec.StripPrefixRegex(regexes) : null;
    }

    static MiddlewareSpec replacePathRegex(MiddlewareDefinition.ReplacePathRegex r, List<String> problems) {
        if (r.regex() == null || r.replacement() == null || r.replacement().isEmpty()) {
            problems.add("replacePathRegex needs regex and a non-empty replacement");
            return null;
        }
        for (char c : r.replacement().toCharArray()) {
            if (c <= 0x20 || c == 0x7f || c == '?' || c == '#') {
                problems.add("replacePathRegex.replacement must not contain spaces, control characters, ? or #");
                return null;
            }
        }
        compiles("replacePathRegex", () -> RegexTemplate.compile(r.regex(), r.replacement()), problems);
        return problems.isEmpty() ? new MiddlewareSpec.ReplacePathRegex(r.regex(), r.replacement()) : null;
    }

    static MiddlewareSpec redirectRegex(MiddlewareDefinition.RedirectRegex r, List<String> problems) {
        if (r.regex() == null || r.replacement() == null || r.replacement().isEmpty()) {
            problems.add("redirectRegex needs regex and a non-empty replacement");
            return null;
        }
        for (char c : r.replacement().toCharArray()) {
            if (c <= 0x20 || c == 0x7f) {
                problems.add("redirectRegex.replacement must not contain spaces or control characters");
                return null;
            }
        }
        compiles("redirectRegex", () -> RegexTemplate.compile(r.regex(), r.replacement()), problems);
        return problems.isEmpty()
                ? new MiddlewareSpec.RedirectRegex(r.regex(), r.replacement(), Boolean.TRUE.equals(r.permanent()))
                : null;
    }

    static MiddlewareSpec contentType(MiddlewareDefinition.ContentType c, List<String> problems) {
        if (!Boolean.FALSE.equals(c.autoDetect())) {
            problems.add("contentType: Sluice never sniffs response bodies, so content-type detection (autoDetect:"
                    + " true, or contentType: {} which means detection in Traefik v3) is not supported; set"
                    + " autoDetect: false or have the backend send Content-Type");
            return null;
        }
        return new MiddlewareSpec.ContentType(false);
    }

    static MiddlewareSpec headers(MiddlewareDefinition.Headers h, List<String> problems) {
        headerValues("headers.customRequestHeaders", h.customRequestHeaders(), problems);
        headerValues("headers.customResponseHeaders", h.customResponseHeaders(), problems);
        headerValues("headers.sslProxyHeaders", h.sslProxyHeaders(), problems);
        securityValues(h, problems);
        MiddlewareSpec.Cors cors = cors(h, problems);
        MiddlewareSpec.SecurityHeaders security = security(h);
        return problems.isEmpty()
                ? new MiddlewareSpec.Headers(h.customRequestHeaders(), h.customResponseHeaders(), cors, security)
                : null;
    }

    private static MiddlewareSpec.Cors cors(MiddlewareDefinition.Headers h, List<String> problems) {
        if (!anySet(h.accessControlAllowOriginList(), h.accessControlAllowOriginListRegex(),
                h.accessControlAllowMethods(), h.accessControlAllowHeaders(), h.accessControlExposeHeaders(),
                h.accessControlAllowCredentials(), h.accessControlMaxAge(), h.addVaryHeader())) {
            return null;
        }
        List<String> origins = h.accessControlAllowOriginList() == null ? List.of() : h.accessControlAllowOriginList();
        boolean credentials = Boolean.TRUE.equals(h.accessControlAllowCredentials());
        if (credentials && origins.contains("*")) {
            problems.add("headers.accessControlAllowCredentials cannot be used with \"*\" in"
                    + " accessControlAllowOriginList (browsers refuse it; list the origins instead)");
        }
        List<String> regexes = h.accessControlAllowOriginListRegex() == null ? List.of()
                : h.accessControlAllowOriginListRegex();
        for (int i = 0; i < regexes.size(); i++) {
            String regex = regexes.get(i);
            compiles("headers.accessControlAllowOriginListRegex[" + i + "]", () -> RegexTemplate.pattern(regex),
                    problems);
        }
        if (h.accessControlMaxAge() != null && h.accessControlMaxAge() < 0) {
            problems.add("headers.accessControlMaxAge must be >= 0");
        }
        return new MiddlewareSpec.Cors(origins, regexes, h.accessControlAllowMethods(), h.accessControlAllowHeaders(),
                h.accessControlExposeHeaders(), credentials,
                h.accessControlMaxAge() == null ? 0 : Math.max(0, h.accessControlMaxAge()),
                Boolean.TRUE.equals(h.addVaryHeader()));
    }

    private static MiddlewareSpec.SecurityHeaders security(MiddlewareDefinition.Headers h) {
        if (!anySet(h.stsSeconds(), h.stsIncludeSubdomains(), h.stsPreload(), h.forceSTSHeader(), h.frameDeny(),
                h.customFrameOptionsValue(), h.contentTypeNosniff(), h.browserXssFilter(), h.customBrowserXSSValue(),
                h.contentSecurityPolicy(), h.contentSecurityPolicyReportOnly(), h.referrerPolicy(),
                h.permissionsPolicy(), h.isDevelopment(), h.allowedHosts(), h.hostsProxyHeaders(),
                h.sslProxyHeaders())) {
            return null;
        }
        return new MiddlewareSpec.SecurityHeaders(h.stsSeconds() == null ? 0 : Math.max(0, h.stsSeconds()),
                on(h.stsIncludeSubdomains()), on(h.stsPreload()), on(h.forceSTSHeader()), on(h.frameDeny()),
                h.customFrameOptionsValue(), on(h.contentTypeNosniff()), on(h.browserXssFilter()),
                h.customBrowserXSSValue(), h.contentSecurityPolicy(), h.contentSecurityPolicyReportOnly(),
                h.referrerPolicy(), h.permissionsPolicy(), on(h.isDevelopment()), h.allowedHosts(),
                h.hostsProxyHeaders(), h.sslProxyHeaders());
    }

    /** Security header values come from the spec, not from a map; their line breaks are checked here too. */
    private static void securityValues(MiddlewareDefinition.Headers h, List<String> problems) {
        String[][] values = {
            {"customFrameOptionsValue", h.customFrameOptionsValue()},
            {"customBrowserXSSValue", h.customBrowserXSSValue()},
            {"contentSecurityPolicy", h.contentSecurityPolicy()},
            {"contentSecurityPolicyReportOnly", h.contentSecurityPolicyReportOnly()},
            {"referrerPolicy", h.referrerPolicy()},
            {"permissionsPolicy", h.permissionsPolicy()}};
        for (String[] v : values) {
            if (v[1] != null && !validValue(v[1])) {
                problems.add("headers." + v[0] + " must not contain control characters");
            }
        }
    }

    private static void headerValues(String field, Map<String, String> headers, List<String> problems) {
        if (headers == null) {
            return;
        }
        headers.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (!validName(e.getKey())) {
                problems.add(field + ": \"" + e.getKey() + "\" is not a valid header name");
            } else if (e.getValue() == null || !validValue(e.getValue())) {
                problems.add(field + "." + e.getKey() + " must not contain control characters");
            }
        });
    }

    private static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (char c : name.toCharArray()) {
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+.^_`|~-".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean validValue(String value) {
        for (char c : value.toCharArray()) {
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static void compiles(String field, Runnable compile, List<String> problems) {
        try {
            compile.run();
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
        }
    }

    private static boolean anySet(Object... values) {
        return Arrays.stream(values).anyMatch(Objects::nonNull);
    }

    private static boolean on(Boolean b) {
        return Boolean.TRUE.equals(b);
    }
}
