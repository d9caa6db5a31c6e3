package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The request head as middlewares see and change it: normalized path, raw query, headers, and how the client
 * reached us (scheme, Host, peer address). Owned by one exchange on one event loop; not thread-safe.
 */
public final class ForwardedRequest {
    private final HttpHeaders headers;
    private final String scheme;
    private final String host;
    private final String query;
    private final InetAddress peer;
    private final String method;
    private final boolean peerIsTrustedProxy;
    private String path;
    private List<Map.Entry<String, String>> responseAdditions = List.of();
    private List<Consumer<ExchangeOutcome>> completionListeners;
    private boolean completed;
    private ResponseCompression responseCompression;
    private RequestBodyBuffer requestBodyBuffer;
    private long responseBodyLimit;

    /**
     * @param query raw query without {@code ?}, or null
     * @param host  the Host header as sent (may carry a port)
     */
    public ForwardedRequest(String path, String query, HttpHeaders headers, String scheme, String host) {
        this(path, query, headers, scheme, host, null, false);
    }

    /**
     * @param peer               the address of the connection's other end, or null when unknown
     * @param peerIsTrustedProxy whether the peer is one of the entrypoint's trusted proxies, whose
     *                           {@code X-Forwarded-For} is believed
     */
    public ForwardedRequest(String path, String query, HttpHeaders headers, String scheme, String host,
            InetAddress peer, boolean peerIsTrustedProxy) {
        this(path, query, headers, scheme, host, peer, peerIsTrustedProxy, null);
    }

    /** @param method the request method as sent ({@code GET}, {@code OPTIONS}), or null when unknown */
    public ForwardedRequest(String path, String query, HttpHeaders headers, String scheme, String host,
            InetAddress peer, boolean peerIsTrustedProxy, String method) {
        this.method = method;
        this.peer = peer;
        this.peerIsTrustedProxy = peerIsTrustedProxy;
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

    /** The request method as sent, or null when unknown. */
    public String method() {
        return method;
    }

    /** Whether the peer is a trusted proxy, whose forwarding headers may be believed. */
    public boolean peerIsTrustedProxy() {
        return peerIsTrustedProxy;
    }

    /** The address of the connection's other end, or null when unknown. */
    public InetAddress peer() {
        return peer;
    }

    /**
     * The {@code X-Forwarded-For} addresses as received, left to right, when the peer is a trusted proxy; empty
     * otherwise, so that a client cannot choose the address that middlewares see.
     */
    public List<String> forwardedFor() {
        List<String> addresses = new ArrayList<>();
        if (!peerIsTrustedProxy) {
            return addresses;
        }
        for (String value : headers.getAll("X-Forwarded-For")) {
            for (String part : value.split(",")) {
                String trimmed = part.trim();
                if (!trimmed.isEmpty()) {
                    addresses.add(trimmed);
                }
            }
        }
        return addresses;
    }

    /**
     * Remembers a header that a middleware wants on this exchange's response (a cookie the authentication
     * service set); {@link #responseAdditions()} gives them back when the response head arrives.
     */
    public void addToResponse(String name, String value) {
        if (responseAdditions.isEmpty()) {
            responseAdditions = new ArrayList<>();
        }
        responseAdditions.add(Map.entry(name, value));
    }

    /** The headers added with {@link #addToResponse}, in order. */
    public List<Map.Entry<String, String>> responseAdditions() {
        return responseAdditions;
    }

    /**
     * Asks to be told how this exchange ended. Middlewares call it from {@code onRequest} when they admit the
     * request, so only exchanges they took part in are reported to them.
     */
    public void whenComplete(Consumer<ExchangeOutcome> listener) {
        if (completionListeners == null) {
            completionListeners = new ArrayList<>(2);
        }
        completionListeners.add(listener);
    }

    /**
     * Reports the end of the exchange to the listeners, once: later calls do nothing. The data path calls it on
     * every way an exchange ends (response sent, answer from a middleware or the proxy, client gone, upgrade).
     */
    public void complete(ExchangeOutcome outcome) {
        if (completed) {
            return;
        }
        completed = true;
        if (completionListeners != null) {
            for (Consumer<ExchangeOutcome> listener : completionListeners) {
                listener.accept(outcome);
            }
        }
    }

    /** Asks for the proxied response to be compressed as {@code compression} decides. */
    public void compressResponse(ResponseCompression compression) {
        this.responseCompression = compression;
    }

    /** How the proxied response should be compressed, or null to leave it as the backend sent it. */
    public ResponseCompression responseCompression() {
        return responseCompression;
    }

    /** Asks the data path to hold the request body in {@code buffer} until it is complete. */
    public void bufferRequestBody(RequestBodyBuffer buffer) {
        this.requestBodyBuffer = buffer;
    }

    /** Where the request body is held until complete, or null to stream it. */
    public RequestBodyBuffer requestBodyBuffer() {
        return requestBodyBuffer;
    }

    /** Asks for the response to be held until complete and replaced by a 500 when its body exceeds the limit. */
    public void limitResponseBody(long maxBytes) {
        this.responseBodyLimit = maxBytes;
    }

    /** The response body limit in bytes, 0 for none (the response is then streamed). */
    public long responseBodyLimit() {
        return responseBodyLimit;
    }
}
