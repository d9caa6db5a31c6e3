package io.sluice.proxy.middleware;

import io.sluice.snapshot.MiddlewareSpec;
import java.util.Map;

/**
 * Traefik {@code buffering}: bodies are read whole before they are passed on, so a backend never sees a partial
 * request and a client never a partial response. A request declaring a {@code Content-Length} over
 * {@code maxRequestBodyBytes} is answered 413 at once; a chunked one is held (in a {@link RequestBodyBuffer}) and
 * answered 413 as soon as it grows past the limit, before anything of it is sent upstream. A response body over
 * {@code maxResponseBodyBytes} is replaced by a 500. Everything is held in memory: the {@code mem*} sizes are
 * accepted for compatibility, and nothing spills to disk. A limit of 0 means no limit, and then that direction
 * is streamed, not held: holding a body of unbounded size in memory would let one client exhaust it.
 */
public final class BufferingMiddleware implements HttpMiddleware {
    private final long maxRequestBytes;
    private final long maxResponseBytes;

    BufferingMiddleware(long maxRequestBytes, long maxResponseBytes) {
        if (maxRequestBytes < 0 || maxResponseBytes < 0) {
            throw new IllegalArgumentException("buffering limits must not be negative");
        }
        this.maxRequestBytes = maxRequestBytes;
        this.maxResponseBytes = maxResponseBytes;
    }

    static BufferingMiddleware of(MiddlewareSpec.Buffering spec) {
        return new BufferingMiddleware(spec.maxRequestBodyBytes(), spec.maxResponseBodyBytes());
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        String length = request.headers().get("Content-Length");
        if (maxRequestBytes > 0 && length != null && parse(length) > maxRequestBytes) {
            return new Answer(413, Map.of(), "Request Entity Too Large");
        }
        if (maxRequestBytes > 0 && request.requestBodyBuffer() == null
                && request.headers().contains("Transfer-Encoding")) {
            RequestBodyBuffer buffer = new RequestBodyBuffer(maxRequestBytes);
            request.bufferRequestBody(buffer);
            request.whenComplete(outcome -> buffer.release());
        }
        if (maxResponseBytes > 0) {
            long current = request.responseBodyLimit();
            request.limitResponseBody(current == 0 ? maxResponseBytes : Math.min(current, maxResponseBytes));
        }
        return null;
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // the codec refuses these before us; never admit one
        }
    }
}
