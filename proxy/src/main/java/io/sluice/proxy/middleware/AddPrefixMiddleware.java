package io.sluice.proxy.middleware;

/** Traefik {@code addPrefix}: prepends a fixed prefix to the path. */
public final class AddPrefixMiddleware implements HttpMiddleware {
    private final String prefix;

    public AddPrefixMiddleware(String prefix) {
        String p = prefix.startsWith("/") ? prefix : "/" + prefix;
        this.prefix = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        request.path(prefix + request.path());
        return null;
    }
}
