package io.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.sluice.proxy.upstream.UpstreamHttpCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * What decoding one backend response costs with Netty's {@code HttpClientCodec} against Sluice's
 * {@link UpstreamHttpCodec}: a typical head (a dozen fields, as nginx or an application server sends them) and a
 * small body in one read, followed by what the proxy does with the head (framing and keep-alive lookups, the
 * hop-by-hop removals). Both run on an {@link EmbeddedChannel}, so the channel's overhead is the same on both sides;
 * {@code none} measures that overhead alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UpstreamResponseDecodeBenchmark {
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection",
            "te", "trailer", "transfer-encoding", "upgrade");
    private static final String BODY = "{\"id\":12345,\"name\":\"example\",\"tags\":[\"a\",\"b\"],\"ok\":true,\"n\":7}";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Server: nginx/1.27.0\r\n"
            + "Date: Sat, 21 Nov 2026 12:00:00 GMT\r\n"
            + "Content-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: " + BODY.length() + "\r\n"
            + "Connection: keep-alive\r\n"
            + "Vary: Accept-Encoding\r\n"
            + "Cache-Control: no-cache, no-store, must-revalidate\r\n"
            + "ETag: \"5f1e-6a2b3c4d\"\r\n"
            + "X-Request-Id: 0b7c2e4a-9d3f-4c1a-8e5b-6f7a8b9c0d1e\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "Strict-Transport-Security: max-age=31536000\r\n"
            + "Set-Cookie: session=abcdef0123456789; Path=/; HttpOnly\r\n"
            + "\r\n"
            + BODY;

    /** {@code none}: no codec, the bytes pass through; what the embedded channel alone costs. */
    @Param({"none", "netty", "sluice"})
    public String codec;

    private EmbeddedChannel channel;
    private byte[] wire;

    @Setup
    public void open() {
        ChannelHandler handler = codec.equals("none") ? new ChannelInboundHandlerAdapter()
                : codec.equals("netty") ? new HttpClientCodec(4096, 32768, 16384)
                : new UpstreamHttpCodec(32768);
        channel = new EmbeddedChannel(handler);
        wire = RESPONSE.getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown
    public void close() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int decodeResponse() {
        ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(wire.length); // as a socket read gives it
        channel.writeInbound(read.writeBytes(wire));
        int seen = 0;
        Object message;
        while ((message = channel.readInbound()) != null) {
            if (message instanceof HttpResponse) {
                if (((HttpResponse) message).decoderResult().isFailure()) {
                    throw new IllegalStateException("not decoded: " + ((HttpResponse) message).decoderResult());
                }
                HttpHeaders headers = ((HttpResponse) message).headers();
                seen += headers.contains("transfer-encoding") ? 1 : 0;
                seen += headers.get("content-length").length();
                seen += headers.containsValue("connection", "close", true) ? 1 : 0;
                for (String name : HOP_BY_HOP) {
                    headers.remove(name);
                }
            }
            seen++;
            ReferenceCountUtil.release(message);
        }
        return seen;
    }
}
