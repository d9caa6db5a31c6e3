package io.sluice.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds a backend's response head (status line and header fields, up to the empty line) in the bytes received so
 * far ({@link HeadLines}) and turns it into a {@link DefaultHttpResponse} whose headers are {@link WireHeaders} over
 * one copy of the head's bytes: no string and no hash-table entry per field. The status line is at most
 * {@value #MAX_STATUS_LINE} bytes and the header fields at most the configured size.
 */
final class ResponseHeadParser {
    static final int MAX_STATUS_LINE = 4096;
    private static final byte[] HTTP_1_ = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

    private final HeadLines lines;

    ResponseHeadParser(int maxHeaderSize) {
        this.lines = new HeadLines(MAX_STATUS_LINE, maxHeaderSize, new HeadLines.Errors() {
            @Override
            public RuntimeException bareLineFeed() {
                return new MalformedResponseException("bare LF in a response head");
            }

            @Override
            public RuntimeException firstLineTooLong() {
                return new MalformedResponseException("response status line too long");
            }

            @Override
            public RuntimeException fieldsTooLarge() {
                return new MalformedResponseException("response header fields too large");
            }
        });
    }

    /** Whether the status line of the head being read is complete (a close now cuts a head, not a status line). */
    boolean statusLineSeen() {
        return lines.firstLineSeen();
    }

    /** Whether any byte of a head has been looked at since the last one completed. */
    boolean started() {
        return lines.started();
    }

    /**
     * The head at {@code in}'s reader index, consumed from {@code in}; or null when it is not complete yet
     * ({@code in} is untouched then).
     *
     * @throws MalformedResponseException when the head is invalid or over a limit
     */
    HttpResponse parse(ByteBuf in) {
        int length = lines.scan(in);
        if (length < 0) {
            return null;
        }
        byte[] head = new byte[length];
        in.readBytes(head);
        try {
            return build(head, lines.firstLineEnd(), lines.fieldLines());
        } finally {
            lines.reset();
        }
    }

    /** Forgets the head being read: after a complete head, or when the connection's remaining bytes are dropped. */
    void reset() {
        lines.reset();
    }

    private static HttpResponse build(byte[] head, int statusLineEnd, int fieldCount) {
        HttpVersion version = version(head, statusLineEnd - 2);
        HttpResponseStatus status = status(head, statusLineEnd - 2);
        int[] offsets = new int[fieldCount * 4];
        int start = statusLineEnd;
        for (int field = 0; field < fieldCount; field++) {
            start = FieldLineSyntax.parse(head, start, offsets, field * 4);
        }
        return new DefaultHttpResponse(version, status, new WireHeaders(head, offsets, fieldCount));
    }

    /** {@code HTTP/1.0} or {@code HTTP/1.1}, then a space. */
    private static HttpVersion version(byte[] head, int end) {
        if (end < 12 || !Arrays.equals(head, 0, HTTP_1_.length, HTTP_1_, 0, HTTP_1_.length) || head[8] != ' ') {
            throw new MalformedResponseException("invalid response status line");
        }
        if (head[7] == '1') {
            return HttpVersion.HTTP_1_1;
        }
        if (head[7] == '0') {
            return HttpVersion.HTTP_1_0;
        }
        throw new MalformedResponseException("unsupported response HTTP version");
    }

    /** Three digits (100-999), then the end of the line or a space and a reason phrase. */
    private static HttpResponseStatus status(byte[] head, int end) {
        int code = 0;
        for (int i = 9; i < 12; i++) {
            byte b = head[i];
            if (b < '0' || b > '9') {
                throw new MalformedResponseException("invalid response status code");
            }
            code = code * 10 + (b - '0');
        }
        if (code < 100) {
            throw new MalformedResponseException("invalid response status code");
        }
        if (end == 12) {
            return HttpResponseStatus.valueOf(code, "");
        }
        if (head[12] != ' ') {
            throw new MalformedResponseException("invalid response status line");
        }
        for (int i = 13; i < end; i++) {
            if (!FieldLineSyntax.isValueByte(head[i])) {
                throw new MalformedResponseException("invalid character in a response reason phrase");
            }
        }
        HttpResponseStatus standard = HttpResponseStatus.valueOf(code);
        if (isPhrase(head, 13, end, standard.reasonPhrase())) {
            return standard; // no string per response for the usual "200 OK"
        }
        return HttpResponseStatus.valueOf(code, new String(head, 13, end - 13, StandardCharsets.ISO_8859_1));
    }

    private static boolean isPhrase(byte[] head, int start, int end, String phrase) {
        if (end - start != phrase.length()) {
            return false;
        }
        for (int i = 0; i < phrase.length(); i++) {
            if (head[start + i] != phrase.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
