package io.sluice.proxy.middleware;

import io.sluice.snapshot.RegexTemplate;
import java.util.Map;

/**
 * Traefik {@code redirectRegex}: when the regex matches the request URL ({@code scheme://host/path?query}, with
 * the Host as the client sent it and the normalized path), answers with a redirect to the expanded replacement.
 * Like Traefik v3, GET gets 301 (permanent) or 302, other methods 308 or 307 so that they keep method and body.
 * A Location that would contain a control character, space or non-ASCII character (the Host is client input) is
 * not sent; the request gets 400.
 */
public final class RedirectRegexMiddleware implements HttpMiddleware {
    private final RegexTemplate template;
    private final boolean permanent;

    /** @throws IllegalArgumentException when the regex or the replacement is not valid */
    public RedirectRegexMiddleware(String regex, String replacement, boolean permanent) {
        this.template = RegexTemplate.compile(regex, replacement);
        this.permanent = permanent;
    }

    /** The redirect code for a request method (null, when unknown, counts as not GET: method kept). */
    static int status(String method, boolean permanent) {
        boolean get = "GET".equals(method);
        return permanent ? (get ? 301 : 308) : (get ? 302 : 307);
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        String url = (request.scheme() == null ? "http" : request.scheme()) + "://" + request.host()
                + request.uri();
        if (!template.find(url)) {
            return null;
        }
        String location = template.replaceAll(url);
        if (!safeHeaderValue(location)) {
            return new Answer(400, Map.of(), "bad redirect target");
        }
        return new Answer(status(request.method(), permanent), Map.of("Location", location),
                "Redirecting to " + location);
    }

    private static boolean safeHeaderValue(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
