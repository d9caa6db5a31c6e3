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
 * far and turns it into a {@link DefaultHttpResponse} whose headers are {@link WireHeaders} over one copy of the
 * head's bytes: no string and no hash-table entry per field. The head stays in the buffer until it is complete;
 * between reads the parser remembers how far it looked, so each byte is searched once. Line ends must be CRLF,
 * the status line is at most {@value #MAX_STATUS_LINE} bytes and the header fields at most the configured size.
 */
final class ResponseHeadParser {
    static final int MAX_STATUS_LINE = 4096;
    private static final byte[] HTTP_1_ = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

    private final int maxHeaderSize;
    /** Bytes after the reader index already searched for a line end. */
    private int scanned;
    /** Where the line being read starts, relative to the reader index. */
    private int lineStart;
    /** Just after the status line's CRLF, relative to the reader index; -1 until the status line is complete. */
    private int statusLineEnd = -1;
    /** Bytes of the complete header lines so far, without their CRLFs. */
    private int headerBytes;
    private int fieldLines;

    ResponseHeadParser(int maxHeaderSize) {
        this.maxHeaderSize = maxHeaderSize;
    }

    /** Whether the status line of the head being read is complete (a close now cuts a head, not a status line). */
    boolean statusLineSeen() {
        return statusLineEnd >= 0;
    }

    /** Whether any byte of a head has been looked at since the last one completed. */
    boolean started() {
        return scanned > 0;
    }

    /**
     * The head at {@code in}'s reader index, consumed from {@code in}; or null when it is not complete yet
     * ({@code in} is untouched then).
     *
     * @throws MalformedResponseException when the head is invalid or over a limit
     */
    HttpResponse parse(ByteBuf in) {
        int base = in.readerIndex();
        int limit = in.writerIndex();
        while (true) {
            int lf = in.indexOf(base + scanned, limit, (byte) '\n');
            if (lf < 0) {
                scanned = limit - base;
                checkPartialLine(scanned > lineStart && in.getByte(limit - 1) == '\r');
                return null;
            }
            int lineEnd = lf - base; // the LF, relative
            if (lineEnd == lineStart || in.getByte(lf - 1) != '\r') {
                throw new MalformedResponseException("bare LF in a response head");
            }
            int length = lineEnd - 1 - lineStart;
            scanned = lineEnd + 1;
            if (statusLineEnd < 0) {
                if (length > MAX_STATUS_LINE) {
                    throw new MalformedResponseException("response status line too long");
                }
                statusLineEnd = lineEnd + 1;
            } else if (length == 0) {
                byte[] head = new byte[lineEnd + 1];
                in.getBytes(base, head);
                in.skipBytes(head.length);
                int lines = fieldLines;
                int status = statusLineEnd;
                reset();
                return build(head, status, lines);
            } else {
                headerBytes += length;
                fieldLines++;
                if (headerBytes > maxHeaderSize) {
                    throw new MalformedResponseException("response header fields too large");
                }
            }
            lineStart = lineEnd + 1;
        }
    }

    /** Forgets the head being read: after a complete head, or when the connection's remaining bytes are dropped. */
    void reset() {
        scanned = 0;
        lineStart = 0;
        statusLineEnd = -1;
        headerBytes = 0;
        fieldLines = 0;
    }

    /** @param endsInCr whether the last byte received is a CR, which may start the line's CRLF */
    private void checkPartialLine(boolean endsInCr) {
        int pending = scanned - lineStart - (endsInCr ? 1 : 0);
        if (statusLineEnd < 0) {
            if (pending > MAX_STATUS_LINE) {
                throw new MalformedResponseException("response status line too long");
            }
        } else if (headerBytes + pending > maxHeaderSize) {
            throw new MalformedResponseException("response header fields too large");
        }
    }

    private static HttpResponse build(byte[] head, int statusLineEnd, int lines) {
        HttpVersion version = version(head, statusLineEnd - 2);
        HttpResponseStatus status = status(head, statusLineEnd - 2);
        int[] offsets = new int[Math.max(lines, 1) * 4];
        int count = 0;
        int start = statusLineEnd;
        int end = head.length - 2; // the final empty line's CRLF
        while (start < end) {
            start = FieldLineSyntax.parse(head, start, offsets, count * 4);
            count++;
        }
        if (count * 4 < offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 4);
        }
        return new DefaultHttpResponse(version, status, new WireHeaders(head, offsets, count));
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
