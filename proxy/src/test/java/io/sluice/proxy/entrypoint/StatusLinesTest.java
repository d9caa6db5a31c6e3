package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusLinesTest {
    private static String written(HttpVersion version, HttpResponseStatus status) {
        ByteBuf buf = Unpooled.buffer();
        try {
            return StatusLines.write(buf, new DefaultHttpResponse(version, status))
                    ? buf.toString(StandardCharsets.US_ASCII) : null;
        } finally {
            buf.release();
        }
    }

    @Test
    void everyStandardStatusGetsTheLineNettyWouldWrite() {
        int written = 0;
        for (int code = 100; code < 600; code++) {
            HttpResponseStatus status = HttpResponseStatus.valueOf(code);
            String line = written(HttpVersion.HTTP_1_1, status);
            if (line != null) {
                assertThat(line).isEqualTo("HTTP/1.1 " + code + " " + status.reasonPhrase() + "\r\n");
                written++;
            }
        }
        assertThat(written).isGreaterThan(50);
        assertThat(written(HttpVersion.HTTP_1_1, HttpResponseStatus.OK)).isEqualTo("HTTP/1.1 200 OK\r\n");
        assertThat(written(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(404, "Not Found")))
                .isEqualTo("HTTP/1.1 404 Not Found\r\n"); // what a decoder makes of a standard line
    }

    @Test
    void anotherReasonPhraseAnotherVersionOrAnUnknownCodeIsLeftToNetty() {
        assertThat(written(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(200, "Fine"))).isNull();
        assertThat(written(HttpVersion.HTTP_1_0, HttpResponseStatus.OK)).isNull();
        assertThat(written(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(299))).isNull();
        assertThat(written(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(799, "Odd"))).isNull();
    }
}
