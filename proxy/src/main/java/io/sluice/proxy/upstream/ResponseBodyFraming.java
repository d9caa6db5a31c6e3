package io.sluice.proxy.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * How a response's body is delimited (RFC 9112 section 6.3): none (1xx, 204, 304, a response to HEAD), chunked
 * (the last transfer coding is {@code chunked}), a fixed length (Content-Length) or until the connection closes.
 * Deciding it also normalizes the framing fields as the proxy expects them: Content-Length is dropped beside
 * Transfer-Encoding, and repeated equal Content-Length values become one field. Conflicting or invalid lengths make
 * the response malformed, since a proxy that guessed would desynchronize the connection.
 */
final class ResponseBodyFraming {
    /** {@link #of} for a body delimited by chunked coding. */
    static final long CHUNKED = -1;
    /** {@link #of} for a body that runs until the backend closes the connection. */
    static final long UNTIL_CLOSE = -2;

    private ResponseBodyFraming() {
    }

    /**
     * The body length of {@code response} to a request with {@code method} (null when unknown): a length from 0,
     * {@link #CHUNKED} or {@link #UNTIL_CLOSE}.
     *
     * @throws MalformedResponseException for invalid or conflicting Content-Length values
     */
    static long of(HttpResponse response, HttpMethod method) {
        int code = response.status().code();
        if (code < 200 || code == 204 || code == 304 || HttpMethod.HEAD.equals(method)) {
            return 0;
        }
        HttpHeaders headers = response.headers();
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            if (response.protocolVersion() == HttpVersion.HTTP_1_0) {
                throw new MalformedResponseException("Transfer-Encoding in an HTTP/1.0 response"); // RFC 9112 6.1
            }
            headers.remove(HttpHeaderNames.CONTENT_LENGTH); // RFC 9112 6.1: a proxy must not forward it beside TE
            return lastCodingIsChunked(codings) ? CHUNKED : UNTIL_CLOSE;
        }
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (lengths.isEmpty()) {
            return UNTIL_CLOSE;
        }
        long length = -1;
        int values = 0;
        for (String field : lengths) {
            int from = 0;
            while (true) {
                int comma = field.indexOf(',', from);
                int to = comma < 0 ? field.length() : comma;
                long value = decimal(field.substring(from, to).trim());
                if (length >= 0 && value != length) {
                    throw new MalformedResponseException("conflicting Content-Length values");
                }
                length = value;
                values++;
                if (comma < 0) {
                    break;
                }
                from = comma + 1;
            }
        }
        if (values > 1) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length));
        }
        return length;
    }

    private static boolean lastCodingIsChunked(List<String> codings) {
        for (int f = codings.size() - 1; f >= 0; f--) {
            String field = codings.get(f);
            int end = field.length();
            while (end > 0) {
                int comma = field.lastIndexOf(',', end - 1);
                String coding = field.substring(comma + 1, end).trim();
                if (!coding.isEmpty()) {
                    return coding.equalsIgnoreCase("chunked");
                }
                end = comma < 0 ? 0 : comma;
            }
        }
        return false;
    }

    private static long decimal(String text) {
        if (text.isEmpty() || text.length() > 19) {
            throw new MalformedResponseException("invalid Content-Length");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedResponseException("invalid Content-Length");
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                throw new MalformedResponseException("invalid Content-Length");
            }
        }
        return value;
    }
}
