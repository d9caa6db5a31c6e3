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
import io.sluice.proxy.upstream.HeadLines;
import io.sluice.proxy.upstream.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds a client's request head (request line and header fields, up to the empty line) in the bytes received so
 * far ({@link HeadLines}) and turns it into a {@link DefaultHttpRequest} whose headers are {@link WireHeaders} over
 * one copy of the head's bytes: no string and no hash-table entry per field, and the fields go to the backend as
 * the client wrote them. Over the limits it throws Netty's {@link TooLongHttpLineException}
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

    private final HeadLines lines;
    private final DefaultHeaders.NameValidator<CharSequence> names;

    /**
     * @param maxLineLength bytes of the request line (without CRLF); more is a {@link TooLongHttpLineException}
     * @param maxHeaderSize bytes of the header lines (without CRLFs); more is a {@link TooLongHttpHeaderException}
     * @param names         the check for names the proxy adds or sets later on the head
     */
    RequestHeadParser(int maxLineLength, int maxHeaderSize, DefaultHeaders.NameValidator<CharSequence> names) {
        this.names = names;
        this.lines = new HeadLines(maxLineLength, maxHeaderSize, new HeadLines.Errors() {
            @Override
            public RuntimeException bareLineFeed() {
                return new MalformedRequestException("bare LF in a request head");
            }

            @Override
            public RuntimeException firstLineTooLong() {
                return new TooLongHttpLineException("request line longer than " + maxLineLength + " bytes");
            }

            @Override
            public RuntimeException fieldsTooLarge() {
                return new TooLongHttpHeaderException("request header fields larger than " + maxHeaderSize
                        + " bytes");
            }
        });
    }

    /** Whether the request line of the head being read is complete (a close now cuts a head short). */
    boolean requestLineSeen() {
        return lines.firstLineSeen();
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

    private HttpRequest build(byte[] head, int requestLineEnd, int fieldCount) {
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

        int[] offsets = new int[fieldCount * 4];
        int start = requestLineEnd;
        try {
            for (int line = 0; line < fieldCount; line++) {
                int end = lines.fieldLineEnd(line);
                RequestFieldLine.parse(head, start, end, offsets, line * 4);
                start = end + 2;
            }
        } catch (MalformedRequestException e) {
            throw new MalformedRequestException(e.getMessage(), new DefaultHttpRequest(version, method, uri));
        }
        return new DefaultHttpRequest(version, method, uri, new WireHeaders(head, offsets, fieldCount, names));
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
