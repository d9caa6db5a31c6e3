package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * How a client's request body is delimited (RFC 9112 section 6.3): chunked when the final transfer coding is
 * {@code chunked}, a fixed length from a single {@code Content-Length}, else no body. Everything a proxy could
 * frame differently from the backend is malformed instead (request smuggling): {@code Transfer-Encoding} with
 * {@code Content-Length}, in HTTP/1.0, or not ending in {@code chunked}; a {@code Content-Length} that is not one
 * decimal number (also repeated equal values, which Netty's decoder refused with the proxy's settings).
 */
final class RequestBodyFraming {
    /** {@link #of} for a body delimited by chunked coding. */
    static final long CHUNKED = -1;

    private RequestBodyFraming() {
    }

    /**
     * The body length of {@code request}: a length from 0, or {@link #CHUNKED}.
     *
     * @throws MalformedRequestException when the framing fields are invalid or conflict
     */
    static long of(HttpRequest request) {
        HttpHeaders headers = request.headers();
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (!codings.isEmpty()) {
            if (!lengths.isEmpty()) {
                throw new MalformedRequestException("both Transfer-Encoding and Content-Length");
            }
            if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
                throw new MalformedRequestException("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (!lastCodingIsChunked(codings)) {
                throw new MalformedRequestException("the final transfer coding of a request must be chunked");
            }
            return CHUNKED;
        }
        if (lengths.isEmpty()) {
            return 0;
        }
        if (lengths.size() > 1) {
            throw new MalformedRequestException("several Content-Length fields");
        }
        return decimal(lengths.get(0));
    }

    private static boolean lastCodingIsChunked(List<String> codings) {
        String field = codings.get(codings.size() - 1);
        int comma = field.lastIndexOf(',');
        return field.substring(comma + 1).trim().equalsIgnoreCase("chunked");
    }

    /** 1 to 19 decimal digits that fit a long (a list such as {@code 3, 3} is not one). */
    private static long decimal(String text) {
        if (text.isEmpty() || text.length() > 19) {
            throw new MalformedRequestException("invalid Content-Length");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedRequestException("invalid Content-Length");
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                throw new MalformedRequestException("invalid Content-Length");
            }
        }
        return value;
    }
}
