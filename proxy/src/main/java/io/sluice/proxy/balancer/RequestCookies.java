package io.sluice.proxy.balancer;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cookies a request carried, as a sticky balancer reads them. The {@code Cookie} headers are only parsed
 * when a sticky service first asks, so requests to services without stickiness pay nothing.
 */
public final class RequestCookies {
    /** A request without cookies. */
    public static final RequestCookies NONE = new RequestCookies(List.of());

    private final List<String> headers;
    private Map<String, String> parsed;

    private RequestCookies(List<String> headers) {
        this.headers = headers;
    }

    /** The cookies of a request with these headers. */
    public static RequestCookies of(HttpHeaders requestHeaders) {
        List<String> values = requestHeaders.getAll(HttpHeaderNames.COOKIE);
        return values.isEmpty() ? NONE : new RequestCookies(values);
    }

    /** The value of the first cookie of that name, or null. */
    public String value(String name) {
        if (headers.isEmpty()) {
            return null;
        }
        if (parsed == null) {
            Map<String, String> byName = new HashMap<>();
            for (String header : headers) {
                for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(header)) {
                    byName.putIfAbsent(cookie.name(), cookie.value());
                }
            }
            parsed = byName;
        }
        return parsed.get(name);
    }
}
