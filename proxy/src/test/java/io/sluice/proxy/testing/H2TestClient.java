package io.sluice.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Netty HTTP/2 client for tests: prior knowledge in cleartext, or over TLS (the given context must offer
 * {@code h2} by ALPN). Sends requests on new streams and collects each response whole; can also open and cancel
 * streams as fast as it can (the "rapid reset" pattern) and reports the GOAWAY the server sent.
 */
public final class H2TestClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final CompletableFuture<Long> goAway = new CompletableFuture<>();
    private final Channel connection;

    private H2TestClient(int port, SslContext tls, String serverName) throws InterruptedException {
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), serverName, port));
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().validateHeaders(false)
                                .encoderIgnoreMaxHeaderListSize(true).build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        ch.pipeline().addLast(new GoAwayCatcher());
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
    }

    /** Prior knowledge: the client preface is the first thing sent. */
    public static H2TestClient cleartext(int port) throws InterruptedException {
        return new H2TestClient(port, null, null);
    }

    public static H2TestClient tls(int port, SslContext context, String serverName) throws InterruptedException {
        return new H2TestClient(port, context, serverName);
    }

    /** Request headers with the four pseudo-headers set; add more with {@code .add(...)}. */
    public static Http2Headers get(String authority, String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("http").authority(authority).path(path);
    }

    /** Sends one request (headers, then the body if any) on a new stream. */
    public CompletableFuture<Response> send(Http2Headers headers, byte[] body) {
        CompletableFuture<Response> response = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(new Collector(response))
                .open().syncUninterruptibly().getNow();
        stream.write(new DefaultHttp2HeadersFrame(headers, body == null));
        if (body != null) {
            stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
        }
        stream.flush();
        return response;
    }

    public Response get(Http2Headers headers) throws Exception {
        return send(headers, null).get(10, TimeUnit.SECONDS);
    }

    /** Opens {@code count} streams, each cancelled (RST_STREAM) right after its HEADERS, without waiting. */
    public void rapidReset(Http2Headers headers, int count) {
        connection.eventLoop().execute(() -> {
            for (int i = 0; i < count && connection.isActive(); i++) {
                Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                        .handler(new ChannelInboundHandlerAdapter()).open().syncUninterruptibly().getNow();
                stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false));
                stream.close();
            }
        });
    }

    /** Completes with the error code of the server's GOAWAY. */
    public CompletableFuture<Long> goAway() {
        return goAway;
    }

    public Channel connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A whole response: the final head (interim ones skipped), the body, the trailers (null when none). */
    public record Response(Http2Headers headers, byte[] body, Http2Headers trailers) {
        public int status() {
            return Integer.parseInt(headers.status().toString());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final class Collector extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Response> response;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Http2Headers head;

        Collector(CompletableFuture<Response> response) {
            this.response = response;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame) {
                    Http2HeadersFrame frame = (Http2HeadersFrame) msg;
                    CharSequence status = frame.headers().status();
                    if (head == null && status != null && status.length() == 3 && status.charAt(0) == '1') {
                        return; // interim
                    }
                    if (head == null) {
                        head = frame.headers();
                        if (frame.isEndStream()) {
                            response.complete(new Response(head, new byte[0], null));
                        }
                    } else {
                        response.complete(new Response(head, body.toByteArray(), frame.headers()));
                    }
                } else if (msg instanceof Http2DataFrame) {
                    Http2DataFrame frame = (Http2DataFrame) msg;
                    ByteBuf content = frame.content();
                    byte[] bytes = new byte[content.readableBytes()];
                    content.readBytes(bytes);
                    body.writeBytes(bytes);
                    if (frame.isEndStream()) {
                        response.complete(new Response(head, body.toByteArray(), null));
                    }
                } else if (msg instanceof Http2ResetFrame) {
                    response.completeExceptionally(new StreamResetException(((Http2ResetFrame) msg).errorCode()));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame) {
                response.completeExceptionally(new StreamResetException(((Http2ResetFrame) evt).errorCode()));
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            response.completeExceptionally(new IllegalStateException("stream closed before its response"));
        }
    }

    /** The server reset a stream; {@code errorCode} as in RFC 9113 section 7. */
    public static final class StreamResetException extends RuntimeException {
        private final long errorCode;

        StreamResetException(long errorCode) {
            super("stream reset, error code " + errorCode);
            this.errorCode = errorCode;
        }

        public long errorCode() {
            return errorCode;
        }
    }

    private final class GoAwayCatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame) {
                goAway.complete(((Http2GoAwayFrame) msg).errorCode());
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            goAway.completeExceptionally(new IllegalStateException("closed without GOAWAY"));
        }
    }
}
