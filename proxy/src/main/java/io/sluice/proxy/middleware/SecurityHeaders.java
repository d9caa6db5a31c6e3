package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.snapshot.HostNames;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The security part of Traefik's {@code headers} middleware: refuses requests for a Host not in
 * {@code allowedHosts} and adds Strict-Transport-Security, X-Frame-Options, X-Content-Type-Options,
 * X-XSS-Protection, Content-Security-Policy(-Report-Only), Referrer-Policy and Permissions-Policy to responses.
 * Safer than Traefik: {@code hostsProxyHeaders} and {@code sslProxyHeaders} are believed only from a trusted proxy
 * (a client cannot pick the host that is checked, nor claim HTTPS), and a refused Host gets 400, not 500.
 */
final class SecurityHeaders {
    private final MiddlewareSpec.SecurityHeaders spec;
    private final String sts;

    SecurityHeaders(MiddlewareSpec.SecurityHeaders spec) {
        this.spec = spec;
        if (spec.stsSeconds() < 0) {
            throw new IllegalArgumentException("stsSeconds must be >= 0");
        }
        HeadersMiddleware.safe("customFrameOptionsValue", spec.customFrameOptionsValue());
        HeadersMiddleware.safe("customBrowserXSSValue", spec.customBrowserXSSValue());
        HeadersMiddleware.safe("contentSecurityPolicy", spec.contentSecurityPolicy());
        HeadersMiddleware.safe("contentSecurityPolicyReportOnly", spec.contentSecurityPolicyReportOnly());
        HeadersMiddleware.safe("referrerPolicy", spec.referrerPolicy());
        HeadersMiddleware.safe("permissionsPolicy", spec.permissionsPolicy());
        this.sts = "max-age=" + spec.stsSeconds() + (spec.stsIncludeSubdomains() ? "; includeSubDomains" : "")
                + (spec.stsPreload() ? "; preload" : "");
    }

    /** @return null to continue, or the refusal of a request for a host that is not allowed */
    Answer onRequest(ForwardedRequest request) {
        if (spec.isDevelopment() || spec.allowedHosts().isEmpty()) {
            return null;
        }
        String host = checkedHost(request);
        for (String allowed : spec.allowedHosts()) {
            if (allowed.equalsIgnoreCase(host) || allowed.indexOf(':') < 0 && !host.isEmpty()
                    && HostNames.normalize(allowed).equals(HostNames.normalize(host))) {
                return null;
            }
        }
        return new Answer(400, Map.of(), "host not allowed");
    }

    /** The headers to add to a response (also to the proxy's own preflight answers). */
    Map<String, String> responseHeaders(ForwardedRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (spec.stsSeconds() > 0 && !spec.isDevelopment() && (spec.forceSTSHeader() || isHttps(request))) {
            headers.put("Strict-Transport-Security", sts);
        }
        if (present(spec.customFrameOptionsValue())) {
            headers.put("X-Frame-Options", spec.customFrameOptionsValue());
        } else if (spec.frameDeny()) {
            headers.put("X-Frame-Options", "DENY");
        }
        if (spec.contentTypeNosniff()) {
            headers.put("X-Content-Type-Options", "nosniff");
        }
        if (present(spec.customBrowserXSSValue())) {
            headers.put("X-XSS-Protection", spec.customBrowserXSSValue());
        } else if (spec.browserXssFilter()) {
            headers.put("X-XSS-Protection", "1; mode=block");
        }
        putIfPresent(headers, "Content-Security-Policy", spec.contentSecurityPolicy());
        putIfPresent(headers, "Content-Security-Policy-Report-Only", spec.contentSecurityPolicyReportOnly());
        putIfPresent(headers, "Referrer-Policy", spec.referrerPolicy());
        putIfPresent(headers, "Permissions-Policy", spec.permissionsPolicy());
        return headers;
    }

    void onResponse(ForwardedRequest request, HttpHeaders response) {
        responseHeaders(request).forEach(response::set);
    }

    private String checkedHost(ForwardedRequest request) {
        if (request.peerIsTrustedProxy()) {
            for (String name : spec.hostsProxyHeaders()) {
                String value = request.headers().get(name);
                if (value != null && !value.isEmpty()) {
                    return value;
                }
            }
        }
        return request.host();
    }

    private boolean isHttps(ForwardedRequest request) {
        if ("https".equals(request.scheme())) {
            return true;
        }
        if (!request.peerIsTrustedProxy()) {
            return false;
        }
        for (Map.Entry<String, String> e : spec.sslProxyHeaders().entrySet()) {
            List<String> values = request.headers().getAll(e.getKey());
            for (String v : values) {
                if (v.equalsIgnoreCase(e.getValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }

    private static void putIfPresent(Map<String, String> headers, String name, String value) {
        if (present(value)) {
            headers.put(name, value);
        }
    }
}
