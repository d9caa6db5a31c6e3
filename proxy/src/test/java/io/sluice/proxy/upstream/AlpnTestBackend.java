package io.sluice.proxy.upstream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TLS backend for tests that speaks what its ALPN offer lets a client select: {@code h2} and/or
 * {@code http/1.1}. Every request is answered, after {@code delayMillis}, with the protocol that carried it and its
 * path ({@code "h2 /a"}); {@code /ws} on HTTP/1.1 is a WebSocket echo. It records each accepted connection.
 */
final class AlpnTestBackend implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();
    private final Channel server;
    private final long delayMillis;

    /** @param protocols what ALPN may select, in the server's preference order */
    AlpnTestBackend(UpstreamTestPki.Issued leaf, long delayMillis, String... protocols) throws Exception {
        this.delayMillis = delayMillis;
        SslContext tls = SslContextBuilder.forServer(leaf.keys().getPrivate(), leaf.certificate())
                .sslProvider(SslProvider.JDK)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, List.of(protocols)))
                .build();
        String fallback = List.of(protocols).contains(ApplicationProtocolNames.HTTP_1_1)
                ? ApplicationProtocolNames.HTTP_1_1 : ApplicationProtocolNames.HTTP_2;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        peers.add((InetSocketAddress) ch.remoteAddress());
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Negotiated(fallback));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The client connections accepted so far. */
    int connections() {
        return peers.size();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Negotiated extends ApplicationProtocolNegotiationHandler {
        Negotiated(String fallback) {
            super(fallback);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(100)).build(),
                        new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel stream) {
                                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                        new HttpObjectAggregator(65536), new Answer("h2"));
                            }
                        }));
            } else {
                ctx.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                        new WebSocketServerProtocolHandler("/ws"), new Echo(), new Answer("http/1.1"));
            }
        }
    }

    /** Answers with the protocol and the path, after the delay. */
    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String protocol;

        Answer(String protocol) {
            this.protocol = protocol;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            byte[] body = (protocol + " " + request.uri()).getBytes(StandardCharsets.UTF_8);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            ctx.executor().schedule(() -> {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                HttpUtil.setContentLength(response, body.length);
                HttpUtil.setKeepAlive(response, keepAlive);
                ctx.writeAndFlush(response);
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Echoes WebSocket text frames, prefixed. */
    private static final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ctx.writeAndFlush(new TextWebSocketFrame("echo " + frame.text()));
        }
    }
}
