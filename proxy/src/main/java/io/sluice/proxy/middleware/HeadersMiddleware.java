package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * Traefik {@code headers}: sets request and response headers (an empty value removes one), answers CORS
 * preflights itself ({@link CorsPolicy}) and adds security headers ({@link SecurityHeaders}). Order on the way in:
 * host check, preflight answer, custom request headers; on the way out: custom response headers, CORS, security.
 */
public final class HeadersMiddleware implements HttpMiddleware {
    private final Map<String, String> requestHeaders;
    private final Map<String, String> responseHeaders;
    private final CorsPolicy cors;
    private final SecurityHeaders security;

    public HeadersMiddleware(Map<String, String> requestHeaders, Map<String, String> responseHeaders) {
        this(new MiddlewareSpec.Headers(requestHeaders, responseHeaders));
    }

    /** @throws IllegalArgumentException when a header value holds a control character, or CORS is not valid */
    public HeadersMiddleware(MiddlewareSpec.Headers spec) {
        this.requestHeaders = safe("customRequestHeaders", spec.customRequestHeaders());
        this.responseHeaders = safe("customResponseHeaders", spec.customResponseHeaders());
        this.cors = spec.cors() == null ? null : new CorsPolicy(spec.cors());
        this.security = spec.security() == null ? null : new SecurityHeaders(spec.security());
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        if (security != null) {
            Answer refused = security.onRequest(request);
            if (refused != null) {
                return refused;
            }
        }
        if (cors != null && CorsPolicy.isPreflight(request)) {
            Map<String, String> headers = new HashMap<>(cors.preflightHeaders(request));
            if (security != null) {
                headers.putAll(security.responseHeaders(request));
            }
            return new Answer(200, headers, "");
        }
        apply(requestHeaders, request.headers());
        return null;
    }

    @Override
    public void onResponse(ForwardedRequest request, HttpHeaders headers) {
        apply(responseHeaders, headers);
        if (cors != null) {
            cors.onResponse(request, headers);
        }
        if (security != null) {
            security.onResponse(request, headers);
        }
    }

    /** Refuses values that would split a header line (CR, LF) or that HTTP does not allow (other controls). */
    static String safe(String field, String value) {
        for (int i = 0; value != null && i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException(field + " must not contain control characters");
            }
        }
        return value;
    }

    private static Map<String, String> safe(String field, Map<String, String> headers) {
        headers.forEach((name, value) -> safe(field + "." + name, value));
        return Map.copyOf(headers);
    }

    private static void apply(Map<String, String> changes, HttpHeaders headers) {
        changes.forEach((name, value) -> {
            if (value.isEmpty()) {
                headers.remove(name);
            } else {
                headers.set(name, value);
            }
        });
    }
}
