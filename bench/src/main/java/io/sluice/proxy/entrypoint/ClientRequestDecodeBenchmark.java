package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.sluice.proxy.upstream.UpstreamHttpCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one client request costs from the client's bytes to the bytes written to the backend, with Netty's
 * {@code HttpRequestDecoder} (configured as the entrypoint configured it) against Sluice's
 * {@link ClientRequestDecoder} (each alone, without the codec around them): a browser-like GET head with a dozen fields, the lookups the proxy makes
 * (head check, keep-alive, hop-by-hop removal), the forwarding fields it sets, then the encoding by the upstream
 * codec (a small response is fed back so the codec's method queue stays empty, the same on both sides). Lives in
 * the entrypoint package because the codec is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClientRequestDecodeBenchmark {
    private static final String REQUEST = "GET /api/v1/items?page=2&sort=name HTTP/1.1\r\n"
            + "Host: shop.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\r\n"
            + "Accept: application/json, text/plain, */*\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Referer: https://shop.example.com/items\r\n"
            + "Connection: keep-alive\r\n"
            + "Cookie: session=abcdef0123456789; theme=dark; consent=yes\r\n"
            + "Sec-Fetch-Dest: empty\r\n"
            + "Sec-Fetch-Mode: cors\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "Priority: u=4\r\n"
            + "\r\n";
    private static final byte[] RESPONSE = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final AsciiString[] FORWARDING = ForwardingHeaders.names();

    @Param({"netty", "sluice"})
    public String codec;

    /** The sluice decoder's queue of unanswered methods; emptied per request, as the response encoder would. */
    private final Queue<HttpMethod> unanswered = new ArrayDeque<>();
    private EmbeddedChannel client;
    private EmbeddedChannel upstream;
    private ByteBuf wire;
    private ByteBuf response;

    @Setup
    public void open() {
        OwnHeaderNames names = new OwnHeaderNames(FORWARDING);
        ChannelHandler decoder = codec.equals("netty")
                ? new HttpRequestDecoder(new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(16384)
                        .setHeadersFactory(io.netty.handler.codec.http.DefaultHttpHeadersFactory.headersFactory()
                                .withNameValidator(names))
                        .setStrictLineParsing(true).setAllowDuplicateContentLengths(false))
                : new ClientRequestDecoder(8192, 16384, names, unanswered);
        client = new EmbeddedChannel(decoder);
        upstream = new EmbeddedChannel(new UpstreamHttpCodec(32768));
        wire = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(
                REQUEST.getBytes(StandardCharsets.US_ASCII)));
        response = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(RESPONSE));
    }

    @TearDown
    public void close() {
        client.finishAndReleaseAll();
        upstream.finishAndReleaseAll();
    }

    @Benchmark
    public int proxyRequestHead() {
        client.writeInbound(wire.duplicate());
        unanswered.clear();
        int seen = 0;
        Object message;
        while ((message = client.readInbound()) != null) {
            if (message instanceof HttpRequest) {
                HttpRequest request = (HttpRequest) message;
                HttpHeaders headers = request.headers();
                seen += headers.size() + headers.getAll(HttpHeaderNames.TRANSFER_ENCODING).size();
                seen += headers.getAll(HttpHeaderNames.HOST).size();
                seen += HttpUtil.isKeepAlive(request) ? 1 : 0;
                seen += HttpUtil.isTransferEncodingChunked(request) ? 1 : 0;
                seen += (int) HttpUtil.getContentLength(request, 0L);
                ForwardingHeaders.removeHopByHop(headers);
                String host = headers.get(HttpHeaderNames.HOST);
                headers.set(FORWARDING[0], "10.1.2.3");
                headers.set(FORWARDING[1], "https");
                headers.set(FORWARDING[2], host);
                headers.set(FORWARDING[3], "443");
                headers.set(FORWARDING[4], "10.1.2.3");
                headers.set(HttpHeaderNames.HOST, host);
                upstream.writeOutbound(request);
            } else {
                upstream.writeOutbound(message);
            }
        }
        ByteBuf out;
        while ((out = upstream.readOutbound()) != null) {
            seen += out.readableBytes();
            out.release();
        }
        upstream.writeInbound(response.duplicate());
        while ((message = upstream.readInbound()) != null) {
            ReferenceCountUtil.release(message);
        }
        return seen;
    }
}
