package io.sluice.proxy.middleware;

import io.sluice.snapshot.HostNames;
import java.util.Locale;
import java.util.Map;

/**
 * Traefik {@code redirectScheme}: answers requests that did not come in on the target scheme with a redirect
 * (308 permanent or 307 temporary, both keep the method and body) to the same host and path on that scheme.
 */
public final class RedirectSchemeMiddleware implements HttpMiddleware {
    private final String scheme;
    private final String port;
    private final boolean permanent;

    public RedirectSchemeMiddleware(String scheme, String port, boolean permanent) {
        this.scheme = scheme.toLowerCase(Locale.ROOT);
        this.port = port == null || port.isEmpty() ? null : port;
        this.permanent = permanent;
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        if (scheme.equals(request.scheme())) {
            return null;
        }
        String host = HostNames.normalize(request.host());
        boolean defaultPort = port == null || ("https".equals(scheme) && "443".equals(port))
                || ("http".equals(scheme) && "80".equals(port));
        String location = scheme + "://" + host + (defaultPort ? "" : ":" + port) + request.uri();
        return new Answer(permanent ? 308 : 307, Map.of("Location", location), "Redirecting to " + location);
    }
}
