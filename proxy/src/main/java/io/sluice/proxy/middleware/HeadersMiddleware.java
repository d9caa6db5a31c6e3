package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;

/** Traefik {@code headers} (custom headers only): sets request and response headers; an empty value removes. */
public final class HeadersMiddleware implements HttpMiddleware {
    private final Map<String, String> requestHeaders;
    private final Map<String, String> responseHeaders;

    public HeadersMiddleware(Map<String, String> requestHeaders, Map<String, String> responseHeaders) {
        this.requestHeaders = Map.copyOf(requestHeaders);
        this.responseHeaders = Map.copyOf(responseHeaders);
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        apply(requestHeaders, request.headers());
        return null;
    }

    @Override
    public void onResponse(ForwardedRequest request, HttpHeaders headers) {
        apply(responseHeaders, headers);
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
