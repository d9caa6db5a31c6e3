package io.sluice.proxy.side;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a side request goes, parsed once from a URL such as {@code http://auth.security.svc:8080/verify}.
 *
 * @param path path and query as sent, never empty
 */
public record SideTarget(boolean tls, String host, int port, String path) {
    public SideTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range");
        }
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code url} */
    public static SideTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("address " + url + " is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("address " + url + " must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("address " + url + " has no host");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80);
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path = path + "?" + uri.getRawQuery();
        }
        return new SideTarget(tls, host, port, path);
    }

    /** {@code host:port}, with brackets around IPv6 literals, for the Host header. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** This target with another path (and query). */
    public SideTarget withPath(String newPath) {
        return new SideTarget(tls, host, port, newPath);
    }
}
