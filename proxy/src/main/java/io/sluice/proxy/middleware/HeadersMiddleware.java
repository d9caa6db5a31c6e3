package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * Traefik {@code headers}: sets request and response headers (an empty value removes one), answers CORS
 * preflights itself ({@link CorsPolicy}) and adds security headers ({@link SecurityHeaders}). Order on the way in:
 * host check, preflight answer, custom request headers; on the way out: custom response headers, CORS, security.
 */
public final class HeadersMiddleware implements HttpMiddleware {
    private final HeaderChanges requestHeaders;
    private final HeaderChanges responseHeaders;
    private final CorsPolicy cors;
    private final SecurityHeaders security;

    public HeadersMiddleware(Map<String, String> requestHeaders, Map<String, String> responseHeaders) {
        this(new MiddlewareSpec.Headers(requestHeaders, responseHeaders));
    }

    /** @throws IllegalArgumentException when a header value holds a control character, or CORS is not valid */
    public HeadersMiddleware(MiddlewareSpec.Headers spec) {
        this.requestHeaders = new HeaderChanges(safe("customRequestHeaders", spec.customRequestHeaders()));
        this.responseHeaders = new HeaderChanges(safe("customResponseHeaders", spec.customResponseHeaders()));
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
        requestHeaders.applyTo(request.headers());
        return null;
    }

    @Override
    public void onResponse(ForwardedRequest request, HttpHeaders headers) {
        responseHeaders.applyTo(headers);
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

    /**
     * Header changes ready for the request path: names as {@link AsciiString} (hash computed once, not per
     * request) in arrays walked without an iterator or a lambda.
     */
    private static final class HeaderChanges {
        private final AsciiString[] names;
        /** Null removes the header (an empty value in the spec). */
        private final String[] values;

        HeaderChanges(Map<String, String> changes) {
            names = new AsciiString[changes.size()];
            values = new String[changes.size()];
            int i = 0;
            for (Map.Entry<String, String> change : changes.entrySet()) {
                names[i] = AsciiString.of(change.getKey());
                values[i] = change.getValue().isEmpty() ? null : change.getValue();
                i++;
            }
        }

        void applyTo(HttpHeaders headers) {
            for (int i = 0; i < names.length; i++) {
                if (values[i] == null) {
                    headers.remove(names[i]);
                } else {
                    headers.set(names[i], values[i]);
                }
            }
        }
    }
}
