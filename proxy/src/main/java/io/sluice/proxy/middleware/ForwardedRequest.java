package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;

/**
 * The request head as middlewares see and change it: normalized path, raw query, headers, and how the client
 * reached us (scheme and Host). Owned by one exchange on one event loop; not thread-safe.
 */
public final class ForwardedRequest {
    private final HttpHeaders headers;
    private final String scheme;
    private final String host;
    private final String query;
    private String path;

    /**
     * @param query raw query without {@code ?}, or null
     * @param host  the Host header as sent (may carry a port)
     */
    public ForwardedRequest(String path, String query, HttpHeaders headers, String scheme, String host) {
        this.path = Objects.requireNonNull(path, "path");
        this.query = query;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.scheme = scheme;
        this.host = host == null ? "" : host;
    }

    public String path() {
        return path;
    }

    public void path(String newPath) {
        this.path = newPath.startsWith("/") ? newPath : "/" + newPath;
    }

    public String query() {
        return query;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public String scheme() {
        return scheme;
    }

    public String host() {
        return host;
    }

    /** Path and query as sent upstream. */
    public String uri() {
        return query == null ? path : path + "?" + query;
    }
}
