package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.sluice.proxy.upstream.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client request decoder on its own, fed whole and byte by byte: every syntax and framing rule, the 414 and
 * 431 limits (at their exact boundaries, which are Netty's), what later bytes become after a malformed head, and
 * the pause after a protocol switch request. Outputs are rendered as text: a head, its body bytes, {@code |end}
 * for the last part (with its trailers), {@code FAIL:<status>} for a failed decoder result, where the status is
 * what {@link RequestHeadCheck} answers for a head, or {@code body} for a failed body part.
 */
class ClientRequestDecoderTest {
    private static final int LIMIT = 64;
    private final Queue<HttpMethod> unanswered = new ArrayDeque<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void noLeftovers() {
        for (EmbeddedChannel channel : channels) {
            channel.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientRequestDecoder(LIMIT, LIMIT,
                new OwnHeaderNames(ForwardingHeaders.names()), unanswered));
        channels.add(channel);
        return channel;
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private String whole(String input) {
        EmbeddedChannel channel = channel();
        channel.writeInbound(bytes(input));
        return render(channel);
    }

    private String byteByByte(String input) {
        EmbeddedChannel channel = channel();
        StringBuilder rendered = new StringBuilder();
        for (int i = 0; i < input.length(); i++) {
            channel.writeInbound(bytes(input.substring(i, i + 1)));
            rendered.append(render(channel));
        }
        return rendered.toString();
    }

    private static String render(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            try {
                if (msg instanceof HttpRequest) {
                    HttpRequest request = (HttpRequest) msg;
                    if (request.decoderResult().isFailure()) {
                        RequestHeadCheck.Refusal refusal = new RequestHeadCheck(100).refusalFor(request);
                        out.append("FAIL:").append(refusal.status());
                        continue;
                    }
                    out.append(out.length() == 0 ? "" : " ").append(request.method()).append(' ')
                            .append(request.uri()).append(' ').append(request.protocolVersion()).append(' ')
                            .append(fields(request));
                }
                if (msg instanceof HttpContent) {
                    HttpContent content = (HttpContent) msg;
                    out.append(content.content().toString(StandardCharsets.ISO_8859_1));
                    if (content.decoderResult().isFailure()) {
                        out.append("FAIL:body");
                    }
                    if (msg instanceof LastHttpContent && !content.decoderResult().isFailure()) {
                        out.append("|end");
                        if (!((LastHttpContent) msg).trailingHeaders().isEmpty()) {
                            out.append(fields(((LastHttpContent) msg).trailingHeaders()));
                        }
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        return out.toString();
    }

    private static String fields(HttpRequest request) {
        assertThat(request.headers()).isInstanceOf(WireHeaders.class);
        ByteBuf wire = Unpooled.buffer();
        ((WireHeaders) request.headers()).writeTo(wire);
        String text = wire.toString(StandardCharsets.ISO_8859_1);
        wire.release();
        return "{" + text.replace("\r\n", "|") + "}";
    }

    private static String fields(io.netty.handler.codec.http.HttpHeaders headers) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, String> field : headers) {
            out.append(field.getKey()).append(": ").append(field.getValue()).append('|');
        }
        return out.append('}').toString();
    }

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET / HTTP/1.1 {Host: a|}|end"),
                Arguments.of("GET / HTTP/1.0\r\n\r\n", "GET / HTTP/1.0 {}|end"),
                Arguments.of("get /x HTTP/1.1\r\n\r\n", "get /x HTTP/1.1 {}|end"),
                Arguments.of("GET http://a.example/x?y HTTP/1.1\r\n\r\n", "GET http://a.example/x?y HTTP/1.1 {}|end"),
                Arguments.of("CONNECT a.example:443 HTTP/1.1\r\n\r\n", "CONNECT a.example:443 HTTP/1.1 {}|end"),
                Arguments.of("OPTIONS * HTTP/1.1\r\n\r\n", "OPTIONS * HTTP/1.1 {}|end"),
                Arguments.of("GET /caf\u00e9 HTTP/1.1\r\n\r\n", "GET /caf\u00e9 HTTP/1.1 {}|end"),
                Arguments.of("\r\n\r\nGET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1 {}|end"),
                Arguments.of("\nGET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1 {}|end"),
                Arguments.of("GET / HTTP/1.1\r\nX-CaSe:v\r\nx-case: \t w \t\r\n\r\n",
                        "GET / HTTP/1.1 {X-CaSe: v|x-case: w|}|end"),
                Arguments.of("GET / HTTP/1.1\r\nX:\r\nY: \r\n\r\n", "GET / HTTP/1.1 {X: |Y: |}|end"),
                Arguments.of("GET / HTTP/1.1\r\nX: a\tb \u00ff\r\n\r\n", "GET / HTTP/1.1 {X: a\tb \u00ff|}|end"),
                Arguments.of("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
                        "POST / HTTP/1.1 {Content-Length: 3|}abc|end"),
                Arguments.of("POST / HTTP/1.1\r\nContent-Length: 03\r\n\r\nabc",
                        "POST / HTTP/1.1 {Content-Length: 03|}abc|end"),
                Arguments.of("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "POST / HTTP/1.1 {Content-Length: 0|}|end"),
                Arguments.of("POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nab", "POST / HTTP/1.0 {Content-Length: 2|}ab|end"),
                Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nA;x=1;y=\"z\"\r\n"
                        + "0123456789\r\n0\r\n\r\n", "POST / HTTP/1.1 {Transfer-Encoding: chunked|}abc0123456789|end"),
                Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3 ;x\r\nabc\r\n0\r\n"
                        + "X-Sum: 1\r\nContent-Length: 5\r\nTrailer: X-Sum\r\n\r\n",
                        "POST / HTTP/1.1 {Transfer-Encoding: chunked|}abc|end{X-Sum: 1|}"),
                Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                        "POST / HTTP/1.1 {Transfer-Encoding: gzip, chunked|}|end"),
                Arguments.of("GET /" + "a".repeat(LIMIT - 14) + " HTTP/1.1\r\n\r\n",
                        "GET /" + "a".repeat(LIMIT - 14) + " HTTP/1.1 {}|end"),
                Arguments.of("GET / HTTP/1.1\r\nA: " + "a".repeat(30) + "\r\nB: " + "b".repeat(28) + "\r\n\r\n",
                        "GET / HTTP/1.1 {A: " + "a".repeat(30) + "|B: " + "b".repeat(28) + "|}|end"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void decodesWellFormedRequests(String input, String expected) {
        assertThat(whole(input)).isEqualTo(expected);
        assertThat(byteByByte(input)).as("byte by byte").isEqualTo(expected);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("method not a token", "G(T / HTTP/1.1\r\n\r\n", "FAIL:400"),
                Arguments.of("two spaces", "GET  / HTTP/1.1\r\n\r\n", "FAIL:400"),
                Arguments.of("no version (HTTP/0.9)", "GET /\r\n\r\n", "FAIL:400"),
                Arguments.of("space after version", "GET / HTTP/1.1 \r\n\r\n", "FAIL:400"),
                Arguments.of("HTTP/1.2", "GET / HTTP/1.2\r\n\r\n", "FAIL:400"),
                Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", "FAIL:400"),
                Arguments.of("lower-case version", "GET / http/1.1\r\n\r\n", "FAIL:400"),
                Arguments.of("other protocol", "GET / FOO/1.1\r\n\r\n", "FAIL:400"),
                Arguments.of("control byte in target", "GET /a\u0001b HTTP/1.1\r\n\r\n", "FAIL:400"),
                Arguments.of("DEL in target", "GET /a\u007fb HTTP/1.1\r\n\r\n", "FAIL:400"),
                Arguments.of("tab in target", "GET /a\tb HTTP/1.1\r\n\r\n", "FAIL:400"),
                Arguments.of("leading space", " GET / HTTP/1.1\r\n\r\n", "FAIL:400"),
                Arguments.of("bare LF ends the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", "FAIL:400"),
                Arguments.of("bare LF ends a field", "GET / HTTP/1.1\r\nHost: a\n\r\n", "FAIL:400"),
                Arguments.of("bare LF ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", "FAIL:400"),
                Arguments.of("bare CR in the request line", "GET /a\rb HTTP/1.1\r\n\r\n", "FAIL:400"),
                Arguments.of("bare CR in a value", "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", "FAIL:400"),
                Arguments.of("space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "FAIL:400"),
                Arguments.of("tab before the colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", "FAIL:400"),
                Arguments.of("name not a token", "GET / HTTP/1.1\r\nBad(Name): v\r\n\r\n", "FAIL:400"),
                Arguments.of("control byte in a name", "GET / HTTP/1.1\r\nX\u0001Y: v\r\n\r\n", "FAIL:400"),
                Arguments.of("empty name", "GET / HTTP/1.1\r\n: v\r\n\r\n", "FAIL:400"),
                Arguments.of("no colon", "GET / HTTP/1.1\r\nNoColon\r\n\r\n", "FAIL:400"),
                Arguments.of("NUL in a value", "GET / HTTP/1.1\r\nX: a\u0000\r\n\r\n", "FAIL:400"),
                Arguments.of("DEL in a value", "GET / HTTP/1.1\r\nX: a\u007fb\r\n\r\n", "FAIL:400"),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", "FAIL:400"),
                Arguments.of("TE and CL", "POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "0\r\n\r\n", "FAIL:400"),
                Arguments.of("two Content-Length", "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"
                        + "abc", "FAIL:400"),
                Arguments.of("Content-Length list", "POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc", "FAIL:400"),
                Arguments.of("Content-Length sign", "POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc", "FAIL:400"),
                Arguments.of("Content-Length letters", "POST / HTTP/1.1\r\nContent-Length: x4\r\n\r\nabc", "FAIL:400"),
                Arguments.of("Content-Length overflow", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n"
                        + "\r\n", "FAIL:400"),
                Arguments.of("final coding not chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                        "FAIL:400"),
                Arguments.of("gzip only", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nabc", "FAIL:400"),
                Arguments.of("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "FAIL:400"),
                Arguments.of("request line one over", "GET /" + "a".repeat(LIMIT - 13) + " HTTP/1.1\r\n\r\n",
                        "FAIL:414"),
                Arguments.of("endless request line", "GET /" + "a".repeat(LIMIT * 2), "FAIL:414"),
                Arguments.of("endless empty lines", "\r\n".repeat(LIMIT), "FAIL:414"),
                Arguments.of("header section one over", "GET / HTTP/1.1\r\nA: " + "a".repeat(31) + "\r\nB: "
                        + "b".repeat(28) + "\r\n\r\n", "FAIL:431"),
                Arguments.of("endless field", "GET / HTTP/1.1\r\nA: " + "a".repeat(LIMIT * 2), "FAIL:431"),
                Arguments.of("chunk size not hex", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n",
                        "POST / HTTP/1.1 {Transfer-Encoding: chunked|}FAIL:body"),
                Arguments.of("chunk size empty", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
                        "POST / HTTP/1.1 {Transfer-Encoding: chunked|}FAIL:body"),
                Arguments.of("chunk size 17 digits", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "11111111111111111\r\n", "POST / HTTP/1.1 {Transfer-Encoding: chunked|}FAIL:body"),
                Arguments.of("chunk size overflows a long", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "8000000000000000\r\n", "POST / HTTP/1.1 {Transfer-Encoding: chunked|}FAIL:body"),
                Arguments.of("chunk size with a sign", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "+3\r\nabc\r\n", "POST / HTTP/1.1 {Transfer-Encoding: chunked|}FAIL:body"),
                Arguments.of("whitespace without extension", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3 \r\nabc\r\n", "POST / HTTP/1.1 {Transfer-Encoding: chunked|}FAIL:body"),
                Arguments.of("control byte in an extension", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3;a\u0001\r\nabc\r\n", "POST / HTTP/1.1 {Transfer-Encoding: chunked|}FAIL:body"),
                Arguments.of("no CRLF after chunk data", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nabcX\r\n0\r\n\r\n", "POST / HTTP/1.1 {Transfer-Encoding: chunked|}abcFAIL:body"),
                Arguments.of("bare LF in a chunk line", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\nabc\r\n", "POST / HTTP/1.1 {Transfer-Encoding: chunked|}FAIL:body"),
                Arguments.of("trailer with space before colon", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                        + "\r\n0\r\nX-T : 1\r\n\r\n", "POST / HTTP/1.1 {Transfer-Encoding: chunked|}FAIL:body"),
                Arguments.of("trailers over the limit", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
                        + "X: " + "a".repeat(LIMIT) + "\r\n\r\n",
                        "POST / HTTP/1.1 {Transfer-Encoding: chunked|}FAIL:body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedRequestsAndDropsWhatFollows(String name, String input, String expected) {
        String next = "GET /next HTTP/1.1\r\n\r\n";
        assertThat(whole(input + next)).isEqualTo(expected);
        assertThat(byteByByte(input + next)).as("byte by byte").isEqualTo(expected);
    }

    @Test
    void aFailedHeadKeepsAValidRequestLineForTheAccessLog() {
        assertThat(failedHead("POST /p HTTP/1.1\r\nBad Name: v\r\n\r\n")).isEqualTo("POST /p HTTP/1.1");
        assertThat(failedHead("PUT /q HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .isEqualTo("PUT /q HTTP/1.1");
        assertThat(failedHead("POST /p HTTP/9.9\r\n\r\n")).isEqualTo("GET /bad-request HTTP/1.0");
        assertThat(failedHead("GET /" + "a".repeat(LIMIT))).isEqualTo("GET /bad-request HTTP/1.0");
    }

    private String failedHead(String input) {
        EmbeddedChannel channel = channel();
        channel.writeInbound(bytes(input));
        HttpRequest request = channel.readInbound();
        assertThat(request.decoderResult().isFailure()).isTrue();
        assertThat((Object) channel.readInbound()).as("nothing after a failed head").isNull();
        ReferenceCountUtil.release(request);
        return request.method() + " " + request.uri() + " " + request.protocolVersion();
    }

    @Test
    void pipelinedRequestsDecodeOneAfterTheOther() {
        assertThat(whole("POST /1 HTTP/1.1\r\nContent-Length: 2\r\n\r\nabGET /2 HTTP/1.1\r\nHost: b\r\n\r\n"
                + "POST /3 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nc\r\n0\r\n\r\n\r\nHEAD /4 HTTP/1.0\r\n\r\n"))
                .isEqualTo("POST /1 HTTP/1.1 {Content-Length: 2|}ab|end GET /2 HTTP/1.1 {Host: b|}|end"
                        + " POST /3 HTTP/1.1 {Transfer-Encoding: chunked|}c|end HEAD /4 HTTP/1.0 {}|end");
        assertThat(unanswered).containsExactly(HttpMethod.POST, HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD);
    }

    @Test
    void aBodylessRequestEndsWithTheSharedEmptyLastPartAndBodiesComeInSlicesOfAtMost8KiB() {
        EmbeddedChannel channel = channel();
        String body = "x".repeat(20000);
        channel.writeInbound(bytes("GET / HTTP/1.1\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 20000\r\n\r\n" + body));
        Object head = channel.readInbound();
        assertThat(head).isInstanceOf(HttpRequest.class);
        assertThat((Object) channel.readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        ReferenceCountUtil.release(channel.readInbound());
        List<Integer> sizes = new ArrayList<>();
        for (Object part; (part = channel.readInbound()) != null; ) {
            sizes.add(((HttpContent) part).content().readableBytes());
            assertThat(part instanceof LastHttpContent).isEqualTo(sizes.stream().mapToInt(i -> i).sum() == 20000);
            ReferenceCountUtil.release(part);
        }
        assertThat(sizes).containsExactly(8192, 8192, 3616);
    }

    @Test
    void fieldsStayOnTheWireForTheProxysOwnSetsAndCaseIsKept() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.2.3.4\r\nUser-AGENT: t\r\n\r\n"));
        HttpRequest request = channel.readInbound();
        ReferenceCountUtil.release(channel.readInbound());
        request.headers().set(HttpHeaderNames.HOST, "b");
        request.headers().add(ForwardingHeaders.names()[0], "5.6.7.8");
        assertThat(request.headers().get("user-agent")).isEqualTo("t");
        assertThat(((WireHeaders) request.headers()).onWire()).isTrue();
        ByteBuf wire = Unpooled.buffer();
        ((WireHeaders) request.headers()).writeTo(wire);
        assertThat(wire.toString(StandardCharsets.US_ASCII)).isEqualTo("X-Forwarded-For: 1.2.3.4\r\nUser-AGENT: t\r\n"
                + "host: b\r\n" + ForwardingHeaders.names()[0] + ": 5.6.7.8\r\n");
        wire.release();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> request.headers().set("bad name", "v"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> request.headers().set(new AsciiString("X-Forwarded-For\r\nInjected"), "v"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConnectionClosedInsideAHeadOrBodyEndsWithAFailure() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: a\r\n"));
        channel.finish();
        assertThat(render(channel)).isEqualTo("FAIL:400");

        EmbeddedChannel body = channel();
        body.writeInbound(bytes("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"));
        body.finish();
        assertThat(render(body)).isEqualTo("POST / HTTP/1.1 {Content-Length: 5|}abFAIL:body");

        EmbeddedChannel between = channel();
        between.writeInbound(bytes("GET / HTTP/1.1\r\n\r\nGET /nex"));
        between.finish();
        assertThat(render(between)).as("a close within a request line is no request").isEqualTo("GET / HTTP/1.1 {}|end");
    }

    @Test
    void bytesAfterAnUpgradeRequestWaitForItsAnswerAndReachWhateverReplacesTheDecoder() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(bytes("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                + "\u0081\u0085early frame"));
        assertThat(render(channel)).isEqualTo("GET /ws HTTP/1.1 {Upgrade: websocket|Connection: Upgrade|}|end");
        channel.writeInbound(bytes(" more"));
        assertThat((Object) channel.readInbound()).isNull();

        unanswered.poll(); // the 101 went out
        channel.pipeline().removeFirst();
        ByteBuf held = channel.readInbound();
        assertThat(held.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\u0081\u0085early frame more");
        held.release();
    }

    @Test
    void aRefusedUpgradeResumesDecodingThePipelinedRequests() {
        EmbeddedChannel channel = channel();
        ClientRequestDecoder decoder = (ClientRequestDecoder) channel.pipeline().first();
        channel.writeInbound(bytes("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\nGET /next HTTP/1.1\r\n\r\n"));
        assertThat(render(channel)).isEqualTo("GET /ws HTTP/1.1 {Upgrade: websocket|}|end");

        unanswered.poll(); // a 404 went out
        decoder.answered();
        channel.runPendingTasks();

        assertThat(render(channel)).isEqualTo("GET /next HTTP/1.1 {}|end");
    }

    @Test
    void anUpgradeRequestAnsweredBeforeItsBodyEndedDoesNotPause() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(bytes("POST /ws HTTP/1.1\r\nUpgrade: x\r\nContent-Length: 2\r\n\r\na"));
        unanswered.poll(); // the proxy answered early (413, say)
        channel.writeInbound(bytes("bGET /next HTTP/1.1\r\n\r\n"));
        assertThat(render(channel)).isEqualTo("POST /ws HTTP/1.1 {Upgrade: x|Content-Length: 2|}ab|end"
                + " GET /next HTTP/1.1 {}|end");
    }

    @Test
    void theCodecEncodesResponsesToHeadWithoutABody() {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpServerCodec(LIMIT, LIMIT,
                new OwnHeaderNames(ForwardingHeaders.names())));
        channels.add(channel);
        channel.writeInbound(bytes("HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n"));
        render(channel);
        for (int i = 0; i < 2; i++) {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    bytes("body"));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 4);
            channel.writeOutbound(response);
        }
        StringBuilder written = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            written.append(out.toString(StandardCharsets.US_ASCII));
            out.release();
        }
        assertThat(written.toString()).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nbody");
    }
}
