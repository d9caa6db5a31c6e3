package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.sluice.proxy.upstream.FieldLineSyntax;
import io.sluice.proxy.upstream.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds a client's request head (request line and header fields, up to the empty line) in the bytes received so
 * far and turns it into a {@link DefaultHttpRequest} whose headers are {@link WireHeaders} over one copy of the
 * head's bytes: no string and no hash-table entry per field, and the fields go to the backend as the client wrote
 * them. The head stays in the buffer until complete; between reads the parser remembers how far it looked, so each
 * byte is searched once. Line ends must be CRLF. Over the limits it throws Netty's {@link TooLongHttpLineException}
 * (414) and {@link TooLongHttpHeaderException} (431), which {@link RequestHeadCheck} maps to their statuses.
 */
final class RequestHeadParser {
    private static final byte[] HTTP_1_ = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final HttpMethod[] COMMON_METHODS = {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
        HttpMethod.HEAD, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH};
    private static final byte[][] COMMON_METHOD_NAMES = new byte[COMMON_METHODS.length][];

    static {
        for (int i = 0; i < COMMON_METHODS.length; i++) {
            COMMON_METHOD_NAMES[i] = COMMON_METHODS[i].name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final int maxLineLength;
    private final int maxHeaderSize;
    private final DefaultHeaders.NameValidator<CharSequence> names;
    /** Bytes after the reader index already searched for a line end. */
    private int scanned;
    /** Where the line being read starts, relative to the reader index. */
    private int lineStart;
    /** Just after the request line's CRLF, relative to the reader index; -1 until the request line is complete. */
    private int requestLineEnd = -1;
    /** Bytes of the complete header lines so far, without their CRLFs. */
    private int headerBytes;
    private int fieldLines;
    /** Where each field line of the head being read ends (its CR), relative to the reader index. */
    private int[] fieldLineEnds = new int[16];

    /**
     * @param maxLineLength bytes of the request line (without CRLF); more is a {@link TooLongHttpLineException}
     * @param maxHeaderSize bytes of the header lines (without CRLFs); more is a {@link TooLongHttpHeaderException}
     * @param names         the check for names the proxy adds or sets later on the head
     */
    RequestHeadParser(int maxLineLength, int maxHeaderSize, DefaultHeaders.NameValidator<CharSequence> names) {
        this.maxLineLength = maxLineLength;
        this.maxHeaderSize = maxHeaderSize;
        this.names = names;
    }

    /** Whether the request line of the head being read is complete (a close now cuts a head short). */
    boolean requestLineSeen() {
        return requestLineEnd >= 0;
    }

    /**
     * The head at {@code in}'s reader index, consumed from {@code in}; or null when it is not complete yet
     * ({@code in} is untouched then).
     *
     * @throws MalformedRequestException  when the head is invalid
     * @throws TooLongHttpLineException   when the request line is longer than allowed
     * @throws TooLongHttpHeaderException when the header lines are larger than allowed
     */
    HttpRequest parse(ByteBuf in) {
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
                throw new MalformedRequestException("bare LF in a request head");
            }
            int length = lineEnd - 1 - lineStart;
            scanned = lineEnd + 1;
            if (requestLineEnd < 0) {
                if (length > maxLineLength) {
                    throw new TooLongHttpLineException("request line longer than " + maxLineLength + " bytes");
                }
                requestLineEnd = lineEnd + 1;
            } else if (length == 0) {
                byte[] head = new byte[lineEnd + 1];
                in.getBytes(base, head);
                in.skipBytes(head.length);
                int lines = fieldLines;
                int lineLength = requestLineEnd;
                reset();
                return build(head, lineLength, lines);
            } else {
                headerBytes += length;
                if (fieldLines == fieldLineEnds.length) {
                    fieldLineEnds = Arrays.copyOf(fieldLineEnds, fieldLines * 2);
                }
                fieldLineEnds[fieldLines++] = lineEnd - 1;
                if (headerBytes > maxHeaderSize) {
                    throw new TooLongHttpHeaderException("request header fields larger than " + maxHeaderSize
                            + " bytes");
                }
            }
            lineStart = lineEnd + 1;
        }
    }

    /** Forgets the head being read: after a complete head, or when the connection's remaining bytes are dropped. */
    void reset() {
        scanned = 0;
        lineStart = 0;
        requestLineEnd = -1;
        headerBytes = 0;
        fieldLines = 0;
    }

    /** @param endsInCr whether the last byte received is a CR, which may start the line's CRLF */
    private void checkPartialLine(boolean endsInCr) {
        int pending = scanned - lineStart - (endsInCr ? 1 : 0);
        if (requestLineEnd < 0) {
            if (pending > maxLineLength) {
                throw new TooLongHttpLineException("request line longer than " + maxLineLength + " bytes");
            }
        } else if (headerBytes + pending > maxHeaderSize) {
            throw new TooLongHttpHeaderException("request header fields larger than " + maxHeaderSize + " bytes");
        }
    }

    private HttpRequest build(byte[] head, int requestLineEnd, int lines) {
        int lineEnd = requestLineEnd - 2;
        int methodEnd = 0;
        while (methodEnd < lineEnd && FieldLineSyntax.isToken(head[methodEnd])) {
            methodEnd++;
        }
        if (methodEnd == 0 || methodEnd == lineEnd || head[methodEnd] != ' ') {
            throw new MalformedRequestException("invalid request method");
        }
        int targetStart = methodEnd + 1;
        int targetEnd = targetStart;
        while (targetEnd < lineEnd && isTargetByte(head[targetEnd])) {
            targetEnd++;
        }
        if (targetEnd == targetStart || targetEnd == lineEnd || head[targetEnd] != ' ') {
            throw new MalformedRequestException("invalid request target");
        }
        HttpVersion version = version(head, targetEnd + 1, lineEnd);
        HttpMethod method = method(head, methodEnd);
        String uri = new String(head, targetStart, targetEnd - targetStart, StandardCharsets.ISO_8859_1);

        int[] offsets = new int[lines * 4];
        int start = requestLineEnd;
        try {
            for (int line = 0; line < lines; line++) {
                int end = fieldLineEnds[line];
                RequestFieldLine.parse(head, start, end, offsets, line * 4);
                start = end + 2;
            }
        } catch (MalformedRequestException e) {
            throw new MalformedRequestException(e.getMessage(), new DefaultHttpRequest(version, method, uri));
        }
        return new DefaultHttpRequest(version, method, uri, new WireHeaders(head, offsets, lines, names));
    }

    /** The method in {@code head[0, end)}: the common ones without a string, others through Netty. */
    private static HttpMethod method(byte[] head, int end) {
        for (int i = 0; i < COMMON_METHODS.length; i++) {
            byte[] name = COMMON_METHOD_NAMES[i];
            if (end == name.length && Arrays.equals(head, 0, end, name, 0, end)) {
                return COMMON_METHODS[i];
            }
        }
        return HttpMethod.valueOf(new String(head, 0, end, StandardCharsets.US_ASCII));
    }

    /** Anything but whitespace, control characters and DEL (Netty also let obs-text through; the router decides). */
    private static boolean isTargetByte(byte b) {
        int c = b & 0xFF;
        return c > 0x20 && c != 0x7F;
    }

    /** Exactly {@code HTTP/1.0} or {@code HTTP/1.1} from {@code start} to the end of the line. */
    private static HttpVersion version(byte[] head, int start, int end) {
        if (end - start != 8 || !Arrays.equals(head, start, start + HTTP_1_.length, HTTP_1_, 0, HTTP_1_.length)) {
            throw new MalformedRequestException("unsupported request HTTP version");
        }
        byte minor = head[start + 7];
        if (minor == '1') {
            return HttpVersion.HTTP_1_1;
        }
        if (minor == '0') {
            return HttpVersion.HTTP_1_0;
        }
        throw new MalformedRequestException("unsupported request HTTP version");
    }
}
