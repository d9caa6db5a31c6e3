package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP/1.1 status lines of the statuses with a standard reason phrase ({@code HTTP/1.1 200 OK\r\n}), encoded
 * once, so a response head starts with one copy instead of Netty's four writes (version, space, code and reason,
 * line end). A status with another reason phrase, or another version, is left to Netty's encoder.
 */
final class StatusLines {
    private static final int MAX_CODE = 599;
    /** Netty's constant for each code that has one; a decoded status with the standard phrase is that constant. */
    private static final HttpResponseStatus[] KNOWN = new HttpResponseStatus[MAX_CODE + 1];
    private static final byte[][] LINES = new byte[MAX_CODE + 1][];

    static {
        for (int code = 100; code <= MAX_CODE; code++) {
            HttpResponseStatus status = HttpResponseStatus.valueOf(code);
            if (status == HttpResponseStatus.valueOf(code)) { // a constant, not a new instance per call
                KNOWN[code] = status;
                LINES[code] = ("HTTP/1.1 " + code + " " + status.reasonPhrase() + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
            }
        }
    }

    private StatusLines() {
    }

    /** Writes {@code response}'s status line if it is a standard HTTP/1.1 one; false (nothing written) if not. */
    static boolean write(ByteBuf buf, HttpResponse response) {
        if (response.protocolVersion() != HttpVersion.HTTP_1_1) {
            return false;
        }
        HttpResponseStatus status = response.status();
        int code = status.code();
        if (code < 0 || code > MAX_CODE || KNOWN[code] != status) {
            return false;
        }
        buf.writeBytes(LINES[code]);
        return true;
    }
}
