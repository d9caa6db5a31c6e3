package io.sluice.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * Reads one chunked body (RFC 9112 section 7.1), a client's request body or a backend's response body: chunk-size
 * lines (hex, optional extensions, checked for control bytes and ignored), the chunk data as retained slices of the
 * input, the CRLF after each chunk's data, and the trailer section, which ends up in the {@link LastHttpContent}'s
 * trailing headers minus the framing fields ({@code Content-Length}, {@code Transfer-Encoding}, {@code Trailer})
 * that must not be forwarded. Its state only exists while a chunked body is being read, hence a class of its own.
 * The two sides differ only in limits, in how a field line is checked (a request may not have whitespace before a
 * colon, a response's is dropped) and in the exception that reports malformed input.
 */
public final class ChunkedBodyReader {
    /** Checks one trailer field line and writes its four offsets, as {@link FieldLineSyntax#parse} does. */
    @FunctionalInterface
    public interface FieldLine {
        /**
         * @param line  the line's bytes, its CRLF at {@code end}
         * @param start where the line starts
         * @param end   where its CRLF starts
         */
        void parse(byte[] line, int start, int end, int[] offsets, int at);
    }

    private enum Step { SIZE, DATA, DATA_END, TRAILERS }

    private final FieldLine fieldLine;
    private final Function<String, RuntimeException> malformed;
    private final int maxLineLength;
    private final int maxTrailerSize;
    private final int maxPiece;
    private Step step = Step.SIZE;
    private long remaining;
    /** Bytes after the reader index already searched for the current line's end. */
    private int scanned;
    private int trailerBytes;
    private HttpHeaders trailers;

    /**
     * @param maxLineLength  bytes of a chunk-size line
     * @param maxTrailerSize bytes of the trailer lines, without their CRLFs
     * @param maxPiece       bytes of body per emitted part
     * @param fieldLine      the check of a trailer field line
     * @param malformed      the exception for malformed input, from its message
     */
    public ChunkedBodyReader(int maxLineLength, int maxTrailerSize, int maxPiece, FieldLine fieldLine,
            Function<String, RuntimeException> malformed) {
        this.fieldLine = fieldLine;
        this.malformed = malformed;
        this.maxLineLength = maxLineLength;
        this.maxTrailerSize = maxTrailerSize;
        this.maxPiece = maxPiece;
    }

    /**
     * Reads what {@code in} holds of the body into {@code out}.
     *
     * @return true when the body ended (its {@link LastHttpContent} is in {@code out}; the reader is reset)
     * @throws RuntimeException the constructor's {@code malformed} exception, on invalid chunk syntax
     */
    public boolean read(ByteBuf in, List<Object> out) {
        while (true) {
            switch (step) {
                case SIZE: {
                    int lf = lineEnd(in, maxLineLength);
                    if (lf < 0) {
                        return false;
                    }
                    remaining = chunkSize(in, in.readerIndex(), lf - 1);
                    in.readerIndex(lf + 1);
                    step = remaining == 0 ? Step.TRAILERS : Step.DATA;
                    break;
                }
                case DATA: {
                    int n = (int) Math.min(Math.min(remaining, maxPiece), in.readableBytes());
                    if (n == 0) {
                        return false;
                    }
                    out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
                    remaining -= n;
                    if (remaining == 0) {
                        step = Step.DATA_END;
                    }
                    break;
                }
                case DATA_END: {
                    if (in.readableBytes() < 2) {
                        if (in.isReadable() && in.getByte(in.readerIndex()) != '\r') {
                            throw malformed.apply("no CRLF after chunk data");
                        }
                        return false;
                    }
                    if (in.readByte() != '\r' || in.readByte() != '\n') {
                        throw malformed.apply("no CRLF after chunk data");
                    }
                    step = Step.SIZE;
                    break;
                }
                default: {
                    int lf = lineEnd(in, maxTrailerSize - trailerBytes);
                    if (lf < 0) {
                        return false;
                    }
                    int start = in.readerIndex();
                    int length = lf - 1 - start;
                    in.readerIndex(lf + 1);
                    if (length == 0) {
                        out.add(trailers == null ? LastHttpContent.EMPTY_LAST_CONTENT
                                : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers));
                        reset();
                        return true;
                    }
                    trailerBytes += length;
                    trailer(in, start, length);
                    break;
                }
            }
        }
    }

    /** Back to the start of a body (after one ended, or when the rest of the connection is dropped). */
    public void reset() {
        step = Step.SIZE;
        remaining = 0;
        scanned = 0;
        trailerBytes = 0;
        trailers = null;
    }

    /** The index of the LF ending the line at the reader index, after a CR; -1 when the line is not complete. */
    private int lineEnd(ByteBuf in, int maxLength) {
        int base = in.readerIndex();
        int lf = in.indexOf(base + scanned, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            scanned = in.readableBytes();
            if (scanned - 1 > maxLength) {
                throw malformed.apply("chunk line too long");
            }
            return -1;
        }
        if (lf == base || in.getByte(lf - 1) != '\r') {
            throw malformed.apply("bare LF in a chunked body");
        }
        if (lf - 1 - base > maxLength) {
            throw malformed.apply("chunk line too long");
        }
        scanned = 0;
        return lf;
    }

    /**
     * 1 to 16 hex digits (no overflow), then the end of the line, or optional whitespace, {@code ;} and extensions
     * without control bytes (RFC 9112 7.1.1; like Netty, whitespace not followed by an extension is malformed).
     */
    private long chunkSize(ByteBuf in, int start, int end) {
        long size = 0;
        int i = start;
        for (; i < end; i++) {
            int digit = Character.digit((char) (in.getByte(i) & 0xFF), 16);
            if (digit < 0) {
                break;
            }
            if (i - start == 16) {
                throw malformed.apply("chunk size too large");
            }
            size = (size << 4) | digit;
        }
        if (i == start || size < 0) {
            throw malformed.apply(i == start ? "invalid chunk size" : "chunk size too large");
        }
        if (i == end) {
            return size;
        }
        while (i < end && FieldLineSyntax.isWhitespace(in.getByte(i))) {
            i++;
        }
        if (i == end || in.getByte(i) != ';') {
            throw malformed.apply("invalid chunk size");
        }
        for (; i < end; i++) {
            if (!FieldLineSyntax.isValueByte(in.getByte(i))) {
                throw malformed.apply("invalid character in a chunk extension");
            }
        }
        return size;
    }

    private void trailer(ByteBuf in, int start, int length) {
        byte[] line = new byte[length + 2]; // with its CRLF
        in.getBytes(start, line);
        int[] offsets = new int[4];
        fieldLine.parse(line, 0, length, offsets, 0);
        AsciiString name = new AsciiString(line, offsets[0], offsets[1] - offsets[0], false);
        if (name.contentEqualsIgnoreCase(HttpHeaderNames.CONTENT_LENGTH)
                || name.contentEqualsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING)
                || name.contentEqualsIgnoreCase(HttpHeaderNames.TRAILER)) {
            return;
        }
        if (trailers == null) {
            trailers = DefaultHttpHeadersFactory.trailersFactory().newHeaders();
        }
        trailers.add(name, new String(line, offsets[2], offsets[3] - offsets[2], StandardCharsets.ISO_8859_1));
    }
}
