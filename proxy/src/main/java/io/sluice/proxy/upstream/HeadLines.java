package io.sluice.proxy.upstream;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Finds the lines of an HTTP/1.1 head (a first line, field lines, the empty line that ends it) in bytes that
 * arrive in pieces, for both the client's request heads and the backends' response heads. The head stays in the
 * buffer until it is complete; between reads the scanner remembers how far it looked, so each byte is searched once.
 * Line ends must be CRLF; the first line and the field lines (without their CRLFs) have limits, checked as soon as
 * a partial line passes them. The two sides report a broken head with exceptions of their own ({@link Errors}).
 *
 * <p>Not thread-safe: one per connection, used on its event loop.
 */
public final class HeadLines {
    /** The exceptions a head is refused with. */
    public interface Errors {
        RuntimeException bareLineFeed();

        RuntimeException firstLineTooLong();

        RuntimeException fieldsTooLarge();
    }

    private final int maxFirstLine;
    private final int maxFieldBytes;
    private final Errors errors;
    /** Bytes after the reader index already searched for a line end. */
    private int scanned;
    /** Where the line being read starts, relative to the reader index. */
    private int lineStart;
    /** Just after the first line's CRLF, relative to the reader index; -1 until the first line is complete. */
    private int firstLineEnd = -1;
    /** Bytes of the complete field lines so far, without their CRLFs. */
    private int fieldBytes;
    private int fieldLines;
    /** Where each field line of the head being read ends (its CR), relative to the reader index. */
    private int[] fieldLineEnds = new int[16];

    /**
     * @param maxFirstLine  bytes of the first line, without its CRLF
     * @param maxFieldBytes bytes of all field lines, without their CRLFs
     */
    public HeadLines(int maxFirstLine, int maxFieldBytes, Errors errors) {
        this.maxFirstLine = maxFirstLine;
        this.maxFieldBytes = maxFieldBytes;
        this.errors = errors;
    }

    /**
     * Scans on from where the last call stopped.
     *
     * @return the length of the complete head from {@code in}'s reader index (up to and including the empty line's
     *         CRLF), or -1 when it is not complete yet; {@code in} is not moved either way
     * @throws RuntimeException one of {@link Errors} when the head is broken or over a limit
     */
    public int scan(ByteBuf in) {
        int base = in.readerIndex();
        int limit = in.writerIndex();
        while (true) {
            int lf = in.indexOf(base + scanned, limit, (byte) '\n');
            if (lf < 0) {
                scanned = limit - base;
                checkPartialLine(scanned > lineStart && in.getByte(limit - 1) == '\r');
                return -1;
            }
            int lineEnd = lf - base; // the LF, relative
            if (lineEnd == lineStart || in.getByte(lf - 1) != '\r') {
                throw errors.bareLineFeed();
            }
            int length = lineEnd - 1 - lineStart;
            scanned = lineEnd + 1;
            if (firstLineEnd < 0) {
                if (length > maxFirstLine) {
                    throw errors.firstLineTooLong();
                }
                firstLineEnd = lineEnd + 1;
            } else if (length == 0) {
                return lineEnd + 1;
            } else {
                fieldBytes += length;
                if (fieldLines == fieldLineEnds.length) {
                    fieldLineEnds = Arrays.copyOf(fieldLineEnds, fieldLines * 2);
                }
                fieldLineEnds[fieldLines++] = lineEnd - 1;
                if (fieldBytes > maxFieldBytes) {
                    throw errors.fieldsTooLarge();
                }
            }
            lineStart = lineEnd + 1;
        }
    }

    /** @param endsInCr whether the last byte received is a CR, which may start the line's CRLF */
    private void checkPartialLine(boolean endsInCr) {
        int pending = scanned - lineStart - (endsInCr ? 1 : 0);
        if (firstLineEnd < 0) {
            if (pending > maxFirstLine) {
                throw errors.firstLineTooLong();
            }
        } else if (fieldBytes + pending > maxFieldBytes) {
            throw errors.fieldsTooLarge();
        }
    }

    /** Whether any byte of a head has been looked at since the last one completed. */
    public boolean started() {
        return scanned > 0;
    }

    /** Whether the first line of the head being read is complete (a close now cuts a head short). */
    public boolean firstLineSeen() {
        return firstLineEnd >= 0;
    }

    /** Just after the first line's CRLF, relative to the head's start. */
    public int firstLineEnd() {
        return firstLineEnd;
    }

    /** The number of field lines of the head found complete. */
    public int fieldLines() {
        return fieldLines;
    }

    /** Where field line {@code line} ends (its CR), relative to the head's start. */
    public int fieldLineEnd(int line) {
        return fieldLineEnds[line];
    }

    /** Forgets the head: after a complete one was taken, or when the connection's remaining bytes are dropped. */
    public void reset() {
        scanned = 0;
        lineStart = 0;
        firstLineEnd = -1;
        fieldBytes = 0;
        fieldLines = 0;
    }
}
