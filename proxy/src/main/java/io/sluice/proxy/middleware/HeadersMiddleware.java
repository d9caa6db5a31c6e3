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

    /** @throws IllegalArgumentException when the CORS or security part is not valid */
    public HeadersMiddleware(MiddlewareSpec.Headers spec) {
        this.requestHeaders = Map.copyOf(spec.customRequestHeaders());
        this.responseHeaders = Map.copyOf(spec.customResponseHeaders());
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
