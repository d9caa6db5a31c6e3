package io.sluice.proxy.middleware;

import com.google.re2j.Pattern;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.RegexTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CORS part of Traefik's {@code headers} middleware (Fetch standard, "CORS protocol"). A preflight
 * ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) is answered by the proxy and never
 * reaches the backend; other responses get {@code Access-Control-Allow-Origin} when the Origin is allowed.
 * Safer than Traefik in two ways: origin regexes must match the whole Origin, and a reflected origin always adds
 * {@code Vary: Origin} so that a cache never serves one site's answer to another.
 */
final class CorsPolicy {
    static final String ORIGIN = "Origin";
    static final String REQUEST_METHOD = "Access-Control-Request-Method";
    private final MiddlewareSpec.Cors spec;
    private final List<Pattern> originPatterns;
    private final boolean anyOrigin;

    /** @throws IllegalArgumentException when an origin regex is not valid, or credentials are allowed for "*" */
    CorsPolicy(MiddlewareSpec.Cors spec) {
        this.spec = spec;
        List<Pattern> patterns = new ArrayList<>();
        for (String regex : spec.accessControlAllowOriginListRegex()) {
            patterns.add(RegexTemplate.pattern(regex));
        }
        this.originPatterns = List.copyOf(patterns);
        this.anyOrigin = spec.accessControlAllowOriginList().contains("*");
        if (anyOrigin && spec.accessControlAllowCredentials()) {
            throw new IllegalArgumentException(
                    "accessControlAllowCredentials cannot be used with \"*\" in accessControlAllowOriginList");
        }
    }

    static boolean isPreflight(ForwardedRequest request) {
        return "OPTIONS".equals(request.method()) && request.headers().contains(ORIGIN)
                && request.headers().contains(REQUEST_METHOD);
    }

    /** The headers of the proxy's own answer to a preflight. */
    Map<String, String> preflightHeaders(ForwardedRequest request) {
        Map<String, String> headers = new HashMap<>();
        if (spec.accessControlAllowCredentials()) {
            headers.put("Access-Control-Allow-Credentials", "true");
        }
        putJoined(headers, "Access-Control-Allow-Headers", spec.accessControlAllowHeaders());
        putJoined(headers, "Access-Control-Allow-Methods", spec.accessControlAllowMethods());
        String origin = request.headers().get(ORIGIN);
        String allowed = allowedOrigin(origin);
        if (allowed != null) {
            headers.put("Access-Control-Allow-Origin", allowed);
            if (!"*".equals(allowed) || spec.addVaryHeader()) {
                headers.put("Vary", "Origin");
            }
        }
        if (spec.accessControlMaxAge() > 0) {
            headers.put("Access-Control-Max-Age", Long.toString(spec.accessControlMaxAge()));
        }
        return headers;
    }

    /** Adds the CORS headers to a proxied response. */
    void onResponse(ForwardedRequest request, HttpHeaders response) {
        String origin = request.headers().get(ORIGIN);
        String allowed = allowedOrigin(origin);
        if (allowed != null) {
            response.set("Access-Control-Allow-Origin", allowed);
        }
        if (spec.accessControlAllowCredentials()) {
            response.set("Access-Control-Allow-Credentials", "true");
        }
        if (!spec.accessControlExposeHeaders().isEmpty()) {
            response.set("Access-Control-Expose-Headers", String.join(",", spec.accessControlExposeHeaders()));
        }
        if (origin != null && (spec.addVaryHeader() || allowed != null && !"*".equals(allowed))) {
            addVaryOrigin(response);
        }
    }

    /** The value for Access-Control-Allow-Origin, or null when the origin is not allowed. */
    String allowedOrigin(String origin) {
        if (origin == null || origin.isEmpty()) {
            return null;
        }
        if (anyOrigin) {
            return "*";
        }
        if (spec.accessControlAllowOriginList().contains(origin)) {
            return origin;
        }
        for (Pattern p : originPatterns) {
            if (p.matches(origin)) {
                return origin;
            }
        }
        return null;
    }

    private static void addVaryOrigin(HttpHeaders response) {
        for (String value : response.getAll("Vary")) {
            for (String part : value.split(",")) {
                String token = part.trim();
                if (token.equalsIgnoreCase("Origin") || token.equals("*")) {
                    return;
                }
            }
        }
        response.add("Vary", "Origin");
    }

    private static void putJoined(Map<String, String> headers, String name, List<String> values) {
        if (!values.isEmpty()) {
            headers.put(name, String.join(",", values));
        }
    }
}
