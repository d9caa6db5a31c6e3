package io.sluice.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upstream codec's decoder on {@link EmbeddedChannel}: each framing rule, the syntax checks and limits, and
 * the shapes the proxy relies on. Table cases are rendered as text (head, whole body, trailers, raw bytes) so the
 * same case fed in one read and byte by byte must give the same result.
 */
class UpstreamResponseDecoderTest {
    private static final int MAX_HEADER = 1024;
    private static final String MALFORMED = "malformed";

    /** A case: the request method, the backend's bytes, whether the backend then closes, what the proxy sees. */
    static Stream<Arguments> framing() {
        return Stream.of(
                c("fixed length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false,
                        "HTTP/1.1 200 OK [Content-Length: 5]", "body=hello"),
                c("zero length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false,
                        "HTTP/1.1 200 OK [Content-Length: 0]", "body="),
                c("response to HEAD has no body", "HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", false,
                        "HTTP/1.1 200 OK [Content-Length: 5]", "body="),
                c("HEAD with chunked framing", "HEAD", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                        false, "HTTP/1.1 200 OK [Transfer-Encoding: chunked]", "body="),
                c("204 has no body", "GET", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false,
                        "HTTP/1.1 204 No Content [Content-Length: 5]", "body="),
                c("304 has no body", "GET", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
                        false, "HTTP/1.1 304 Not Modified [Transfer-Encoding: chunked]", "body="),
                c("chunked drops Content-Length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n", false,
                        "HTTP/1.1 200 OK [Transfer-Encoding: chunked]", "body=helloabc"),
                c("chunked as the last of several codings", "GET", "HTTP/1.1 200 OK\r\n"
                        + "Transfer-Encoding: gzip, CHUNKED \r\n\r\n2\r\nab\r\n0\r\n\r\n", false,
                        "HTTP/1.1 200 OK [Transfer-Encoding: gzip, CHUNKED]", "body=ab"),
                c("codings across fields: chunked not last means until close", "GET", "HTTP/1.1 200 OK\r\n"
                        + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n2\r\nab", true,
                        "HTTP/1.1 200 OK [Transfer-Encoding: chunked, Transfer-Encoding: gzip]", "body=2\r\nab"),
                c("chunked with extensions and trailers", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                        + "\r\n\r\n5;name=value;x=\"q\"\r\nhello\r\n6 ; ext\r\n world\r\n0\r\nX-Checksum: abc\r\n"
                        + "Content-Length: 11\r\nTrailer: X-Checksum\r\nx-other :  v \r\n\r\n", false,
                        "HTTP/1.1 200 OK [Transfer-Encoding: chunked]",
                        "body=hello world trailers=[X-Checksum: abc, x-other: v]"),
                c("hex chunk sizes", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "0A\r\n0123456789\r\nb\r\nabcdefghijk\r\n0000000000000001\r\nx\r\n000\r\n\r\n", false,
                        "HTTP/1.1 200 OK [Transfer-Encoding: chunked]", "body=0123456789abcdefghijkx"),
                c("whitespace after a chunk size with no extension (as Netty's decoder)", "GET", "HTTP/1.1 200 OK\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\t\r\nhello\r\n0\r\n\r\n", false,
                        "HTTP/1.1 200 OK [Transfer-Encoding: chunked]", MALFORMED),
                c("chunk size of 17 digits", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "1\r\na\r\n00000000000000001\r\nx\r\n0\r\n\r\n", false,
                        "HTTP/1.1 200 OK [Transfer-Encoding: chunked]", "partial=a", MALFORMED),
                c("until close without framing", "GET", "HTTP/1.1 200 OK\r\nX: y\r\n\r\nsome body", true,
                        "HTTP/1.1 200 OK [X: y]", "body=some body"),
                c("until close, not closed yet", "GET", "HTTP/1.1 200 OK\r\nX: y\r\n\r\nsome body", false,
                        "HTTP/1.1 200 OK [X: y]", "partial=some body"),
                c("HTTP/1.0 close-delimited", "GET", "HTTP/1.0 200 OK\r\n\r\nold style", true,
                        "HTTP/1.0 200 OK []", "body=old style"),
                c("transfer coding other than chunked means until close", "GET", "HTTP/1.1 200 OK\r\n"
                        + "Transfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabcdef", true,
                        "HTTP/1.1 200 OK [Transfer-Encoding: gzip]", "body=abcdef"),
                c("equal Content-Lengths become one field", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n"
                        + "A: b\r\nContent-Length: 3\r\n\r\nabc", false, "HTTP/1.1 200 OK [A: b, content-length: 3]",
                        "body=abc"),
                c("100 Continue then 200", "POST", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
                        + "Content-Length: 2\r\n\r\nok", false, "HTTP/1.1 100 Continue []", "body=",
                        "HTTP/1.1 200 OK [Content-Length: 2]", "body=ok"),
                c("1xx do not take the HEAD's method", "HEAD", "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", false,
                        "HTTP/1.1 103 Early Hints [Link: </a>]", "body=", "HTTP/1.1 200 OK [Content-Length: 2]", "body="),
                c("101 then raw bytes", "GET", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\n\r\n\u0001raw", false,
                        "HTTP/1.1 101 Switching Protocols [Upgrade: websocket]", "body=",
                        "raw=HTTP/1.1 200 OK\r\n\r\n\u0001raw"),
                c("stray CRLF before the status line", "GET", "\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
                        false, "HTTP/1.1 200 OK [Content-Length: 1]", "body=x"),
                c("no reason phrase", "GET", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", false,
                        "HTTP/1.1 200  [Content-Length: 0]", "body="),
                c("empty reason phrase", "GET", "HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n", false,
                        "HTTP/1.1 299  [Content-Length: 0]", "body="),
                c("reason phrase kept, with tab and obs-text", "GET", "HTTP/1.1 200 Fine\tand d\u00e9j\u00e0 vu\r\n"
                        + "Content-Length: 0\r\n\r\n", false,
                        "HTTP/1.1 200 Fine\tand d\u00e9j\u00e0 vu [Content-Length: 0]", "body="),
                c("status 999", "GET", "HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n", false,
                        "HTTP/1.1 999 Odd [Content-Length: 0]", "body="),
                c("whitespace before the colon is dropped, value trimmed, case kept", "GET", "HTTP/1.1 200 OK\r\n"
                        + "X-Spaced \t: \t a b\t \r\nx-lower:v\u00ff\r\nEmpty:\r\nContent-Length: 0\r\n\r\n", false,
                        "HTTP/1.1 200 OK [X-Spaced: a b, x-lower: v\u00ff, Empty: , Content-Length: 0]", "body="),
                // malformed: the proxy gets one failed message, and nothing after it
                c("bare LF ending a field line", "GET", "HTTP/1.1 200 OK\r\nA: b\nContent-Length: 0\r\n\r\n", false,
                        MALFORMED),
                c("bare LF ending the status line", "GET", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", false,
                        MALFORMED),
                c("bare LF ending the head", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n", false,
                        MALFORMED),
                c("bare CR in a value", "GET", "HTTP/1.1 200 OK\r\nA: b\rc\r\nContent-Length: 0\r\n\r\n", false,
                        MALFORMED),
                c("HTTP/2 status line", "GET", "HTTP/2 200 OK\r\n\r\n", false, MALFORMED),
                c("HTTP/1.2", "GET", "HTTP/1.2 200 OK\r\n\r\n", false, MALFORMED),
                c("lower-case protocol", "GET", "http/1.1 200 OK\r\n\r\n", false, MALFORMED),
                c("two-digit status", "GET", "HTTP/1.1 20 OK\r\n\r\n", false, MALFORMED),
                c("four-digit status", "GET", "HTTP/1.1 2000 OK\r\n\r\n", false, MALFORMED),
                c("status below 100", "GET", "HTTP/1.1 099 Low\r\n\r\n", false, MALFORMED),
                c("no space before the reason", "GET", "HTTP/1.1 200OK\r\n\r\n", false, MALFORMED),
                c("control byte in the reason", "GET", "HTTP/1.1 200 O\u0001K\r\n\r\n", false, MALFORMED),
                c("garbage instead of a status line", "GET", "hello\r\n\r\n", false, MALFORMED),
                c("non-token name", "GET", "HTTP/1.1 200 OK\r\nFo(o: bar\r\n\r\n", false, MALFORMED),
                c("empty name", "GET", "HTTP/1.1 200 OK\r\n: bar\r\n\r\n", false, MALFORMED),
                c("no colon", "GET", "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", false, MALFORMED),
                c("space inside the name", "GET", "HTTP/1.1 200 OK\r\nA B: c\r\n\r\n", false, MALFORMED),
                c("obs-fold", "GET", "HTTP/1.1 200 OK\r\nA: b\r\n  c\r\nContent-Length: 0\r\n\r\n", false,
                        MALFORMED),
                c("obs-fold with a tab", "GET", "HTTP/1.1 200 OK\r\nA: b\r\n\tc\r\n\r\n", false, MALFORMED),
                c("NUL in a value", "GET", "HTTP/1.1 200 OK\r\nA: b\u0000c\r\n\r\n", false, MALFORMED),
                c("control byte in a value", "GET", "HTTP/1.1 200 OK\r\nA: \u001bc\r\n\r\n", false, MALFORMED),
                c("DEL in a value", "GET", "HTTP/1.1 200 OK\r\nA: b\u007f\r\n\r\n", false, MALFORMED),
                c("Transfer-Encoding in HTTP/1.0", "GET", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "0\r\n\r\n", false, MALFORMED),
                c("Transfer-Encoding in a bodiless HTTP/1.0 response", "GET", "HTTP/1.0 304 Not Modified\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n", false,
                        "HTTP/1.0 304 Not Modified [Transfer-Encoding: chunked]", "body="),
                c("differing Content-Lengths", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                        + "Content-Length: 6\r\n\r\nhello!", false, MALFORMED),
                c("differing Content-Lengths in one field", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n",
                        false, MALFORMED),
                c("signed Content-Length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello", false,
                        MALFORMED),
                c("negative Content-Length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false,
                        MALFORMED),
                c("non-numeric Content-Length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 5a\r\n\r\n", false,
                        MALFORMED),
                c("empty Content-Length", "GET", "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", false, MALFORMED),
                c("Content-Length beyond a long", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808"
                        + "\r\n\r\n", false, MALFORMED),
                c("bad chunk size", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false,
                        "HTTP/1.1 200 OK [Transfer-Encoding: chunked]", MALFORMED),
                c("empty chunk size", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", false,
                        "HTTP/1.1 200 OK [Transfer-Encoding: chunked]", MALFORMED),
                c("chunk size beyond a long", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "8000000000000000\r\n", false, "HTTP/1.1 200 OK [Transfer-Encoding: chunked]", MALFORMED),
                c("chunk size with a sign", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\n",
                        false, "HTTP/1.1 200 OK [Transfer-Encoding: chunked]", MALFORMED),
                c("control byte in a chunk extension", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                        + "\r\n1;a\u0000b\r\nx\r\n0\r\n\r\n", false, "HTTP/1.1 200 OK [Transfer-Encoding: chunked]",
                        MALFORMED),
                c("no CRLF after chunk data", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhelloX\r\n0\r\n\r\n", false, "HTTP/1.1 200 OK [Transfer-Encoding: chunked]",
                        "partial=hello", MALFORMED),
                c("bare LF after chunk data", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\n0\r\n\r\n", false, "HTTP/1.1 200 OK [Transfer-Encoding: chunked]",
                        "partial=hello", MALFORMED),
                c("malformed trailer", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "0\r\nBad Name: x\r\n\r\n", false, "HTTP/1.1 200 OK [Transfer-Encoding: chunked]",
                        MALFORMED),
                c("nothing decoded after a malformed response", "GET", "HTTP/1.1 200 OK\r\nA: \u0001\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, MALFORMED),
                // the connection closes
                c("closed in the header fields", "GET", "HTTP/1.1 200 OK\r\nContent-Le", true, MALFORMED),
                c("closed in the status line", "GET", "HTTP/1.1 20", true),
                c("closed in a fixed-length body", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhel", true,
                        "HTTP/1.1 200 OK [Content-Length: 9]", "partial=hel"),
                c("closed in a chunked body", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n", true, "HTTP/1.1 200 OK [Transfer-Encoding: chunked]", "partial=hello"),
                c("closed between responses", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx\r\n", true,
                        "HTTP/1.1 200 OK [Content-Length: 1]", "body=x"));
    }

    private static Arguments c(String name, String method, String wire, boolean closes, String... expected) {
        return Arguments.of(name, method, wire, closes, List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framing")
    void decodesInOneRead(String name, String method, String wire, boolean closes, List<String> expected) {
        assertThat(decode(method, closes, wire)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framing")
    void decodesByteByByteTheSame(String name, String method, String wire, boolean closes, List<String> expected) {
        String[] bytes = new String[wire.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = wire.substring(i, i + 1);
        }
        assertThat(decode(method, closes, bytes)).isEqualTo(expected);
    }

    @Test
    void aBodyAlreadyReceivedWholeComesWithItsHeadAsOneLastContent() {
        EmbeddedChannel channel = codec("GET");
        channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        List<Object> messages = drain(channel);
        try {
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0)).isInstanceOf(HttpResponse.class).isNotInstanceOf(HttpContent.class);
            assertThat(messages.get(1)).isInstanceOf(LastHttpContent.class);
            assertThat(text(((LastHttpContent) messages.get(1)).content())).isEqualTo("hello");
        } finally {
            messages.forEach(ReferenceCountUtil::release);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void largeBodiesComeInPiecesOfAtMost16KiB() {
        EmbeddedChannel channel = codec("GET");
        String body = "x".repeat(40000);
        channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 40000\r\n\r\n" + body));
        List<Object> messages = drain(channel);
        try {
            assertThat(messages).hasSize(4);
            assertThat(messages.subList(1, 4)).allSatisfy(m ->
                    assertThat(((HttpContent) m).content().readableBytes()).isLessThanOrEqualTo(16384));
            assertThat(messages.get(2)).isNotInstanceOf(LastHttpContent.class);
            assertThat(messages.get(3)).isInstanceOf(LastHttpContent.class);
        } finally {
            messages.forEach(ReferenceCountUtil::release);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void headersAreReadFromTheReceivedBytesWithTheirCaseKept() {
        EmbeddedChannel channel = codec("GET");
        channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nX-Custom-Thing: one\r\nx-custom-thing: two\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n"));
        List<Object> messages = drain(channel);
        try {
            HttpHeaders headers = ((HttpResponse) messages.get(0)).headers();
            assertThat(headers).isInstanceOf(WireHeaders.class);
            assertThat(headers.get("content-type")).isEqualTo("text/plain");
            assertThat(headers.getAll("X-CUSTOM-THING")).containsExactly("one", "two");
            assertThat(((WireHeaders) headers).onWire()).isTrue();
            assertThat(headers.names()).contains("X-Custom-Thing", "x-custom-thing", "Content-Type");
        } finally {
            messages.forEach(ReferenceCountUtil::release);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void keepAliveResponsesFollowEachOtherWithTheirRequestsMethods() {
        EmbeddedChannel channel = codec("GET", "HEAD", "GET");
        channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n"
                + "Content-Length: 7\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlast"));
        assertThat(render(drain(channel))).containsExactly("HTTP/1.1 200 OK [Content-Length: 2]", "body=ok",
                "HTTP/1.1 200 OK [Content-Length: 7]", "body=", "HTTP/1.1 200 OK [Content-Length: 4]", "body=last");
        channel.finishAndReleaseAll();
    }

    @Test
    void aStandardStatusLineGivesNettysOwnStatus() { // what the client encoder's precomputed status lines recognise
        EmbeddedChannel channel = codec("GET", "GET");
        channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 200 Fine\r\nContent-Length: 0\r\n\r\n"));
        List<Object> messages = drain(channel);
        try {
            assertThat(((HttpResponse) messages.get(0)).status()).isSameAs(HttpResponseStatus.OK);
            assertThat(((HttpResponse) messages.get(2)).status().reasonPhrase()).isEqualTo("Fine");
        } finally {
            messages.forEach(ReferenceCountUtil::release);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void statusLineOverItsLimitIsMalformed() {
        String reason = "r".repeat(4096 - 13);
        assertThat(decode("GET", false, "HTTP/1.1 200 " + reason + "\r\nContent-Length: 0\r\n\r\n"))
                .containsExactly("HTTP/1.1 200 " + reason + " [Content-Length: 0]", "body=");
        assertThat(decode("GET", false, "HTTP/1.1 200 " + reason + "r\r\nContent-Length: 0\r\n\r\n"))
                .containsExactly(MALFORMED);
        assertThat(decode("GET", false, "HTTP/1.1 200 " + reason + "\r")).isEmpty();
        assertThat(decode("GET", false, "HTTP/1.1 200 " + reason + "r")).containsExactly(MALFORMED);
    }

    @Test
    void headerFieldsOverTheLimitAreMalformedEvenBeforeTheHeadEnds() {
        String field = "A: " + "v".repeat(MAX_HEADER - 3) + "\r\n"; // exactly the limit, without the CRLF
        assertThat(decode("GET", false, "HTTP/1.1 200 OK\r\n" + field + "Content-Length: 0\r\n\r\n"))
                .containsExactly(MALFORMED);
        assertThat(decode("GET", false, "HTTP/1.1 200 OK\r\n" + field + "\r\n"))
                .containsExactly("HTTP/1.1 200 OK [A: " + "v".repeat(MAX_HEADER - 3) + "]", "partial=");
        assertThat(decode("GET", false, "HTTP/1.1 200 OK\r\nA: " + "v".repeat(MAX_HEADER)))
                .containsExactly(MALFORMED);
    }

    @Test
    void trailersOverTheLimitAreMalformed() {
        String trailer = "T: " + "v".repeat(MAX_HEADER) + "\r\n";
        assertThat(decode("GET", false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + trailer
                + "\r\n")).containsExactly("HTTP/1.1 200 OK [Transfer-Encoding: chunked]", MALFORMED);
    }

    @Test
    void chunkLinesOverTheLimitAreMalformed() {
        assertThat(decode("GET", false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;"
                + "e".repeat(5000))).containsExactly("HTTP/1.1 200 OK [Transfer-Encoding: chunked]", MALFORMED);
    }

    @Test
    void bytesLeftAfterA101ReachTheHandlerThatReplacesTheCodec() {
        UpstreamHttpCodec codec = new UpstreamHttpCodec(MAX_HEADER);
        List<Object> relayed = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(codec, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpResponse && ((HttpResponse) msg).status().code() == 101) {
                    ctx.pipeline().remove(codec); // as RawRelayHandler.takeOver does
                }
                relayed.add(msg);
            }
        });
        channel.writeInbound(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nframe-1"));
        channel.writeInbound(bytes("frame-2"));
        assertThat(render(relayed)).containsExactly("HTTP/1.1 101 Switching Protocols [Upgrade: websocket]",
                "body=", "raw=frame-1frame-2");
        channel.finishAndReleaseAll();
    }

    // ---- helpers

    /** A channel with the codec that has sent one request per method. */
    private static EmbeddedChannel codec(String... methods) {
        EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(MAX_HEADER));
        for (String method : methods) {
            channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), "/"));
        }
        Object written;
        while ((written = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(written);
        }
        return channel;
    }

    private static List<String> decode(String method, boolean closes, String... reads) {
        EmbeddedChannel channel = codec(method);
        List<Object> messages = new ArrayList<>();
        for (String read : reads) {
            channel.writeInbound(bytes(read));
            messages.addAll(drain(channel));
        }
        if (closes) {
            channel.finish();
        }
        messages.addAll(drain(channel));
        channel.finishAndReleaseAll();
        return render(messages);
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> messages = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            messages.add(message);
        }
        return messages;
    }

    /**
     * Each head as {@code version status reason [fields]}, each body whole as {@code body=...} (with its
     * trailers), an unfinished body as {@code partial=...}, raw bytes as {@code raw=...}, a failure as
     * {@value #MALFORMED}; releases the messages.
     */
    private static List<String> render(List<Object> messages) {
        List<String> rendered = new ArrayList<>();
        StringBuilder body = null;
        StringBuilder raw = null;
        for (Object message : messages) {
            try {
                if (message instanceof HttpObject && ((HttpObject) message).decoderResult().isFailure()) {
                    if (body != null && body.length() > 0) {
                        rendered.add("partial=" + body);
                    }
                    body = null;
                    rendered.add(MALFORMED);
                } else if (message instanceof HttpResponse) {
                    HttpResponse response = (HttpResponse) message;
                    rendered.add(response.protocolVersion() + " " + response.status().code() + " "
                            + response.status().reasonPhrase() + " " + fields(response.headers()));
                    body = new StringBuilder();
                } else if (message instanceof HttpContent) {
                    body.append(text(((HttpContent) message).content()));
                    if (message instanceof LastHttpContent) {
                        HttpHeaders trailers = ((LastHttpContent) message).trailingHeaders();
                        rendered.add("body=" + body + (trailers.isEmpty() ? "" : " trailers=" + fields(trailers)));
                        body = null;
                    }
                } else if (message instanceof ByteBuf) {
                    raw = raw == null ? new StringBuilder() : raw;
                    raw.append(text((ByteBuf) message));
                } else {
                    rendered.add("unexpected " + message);
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
        if (body != null) {
            rendered.add("partial=" + body);
        }
        if (raw != null) {
            rendered.add("raw=" + raw);
        }
        return rendered;
    }

    private static String fields(HttpHeaders headers) {
        List<String> fields = new ArrayList<>();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            fields.add(field.getKey() + ": " + field.getValue());
        }
        return fields.toString();
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static String text(ByteBuf buf) {
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}
