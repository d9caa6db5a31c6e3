package io.sluice.proxy.side;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Sends one HTTP/1.1 request on its own short-lived connection, from the event loop of the client connection that
 * needs it (an authentication check, an error page), and hands back the whole response, aggregated up to a small
 * cap. Names are resolved by Netty's asynchronous DNS resolver, so nothing blocks the event loop. Each request
 * has one deadline covering resolve, connect, send and receive; on any failure the connection is closed and the
 * future fails. Nothing reference-counted escapes: the response is copied into a {@link SideResponse}.
 * Thread-safe; shared by every event loop.
 */
public final class SideRequestClient implements AutoCloseable {
    /** Default deadline of one side request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default cap on a side response's body. */
    public static final int DEFAULT_MAX_BODY = 64 * 1024;

    private final Duration timeout;
    private final int maxBody;
    private final DnsAddressResolverGroup nioResolver;
    private final DnsAddressResolverGroup epollResolver;
    private final SslContext verifyingTls;
    private final SslContext trustingTls;

    public SideRequestClient() {
        this(DEFAULT_TIMEOUT, DEFAULT_MAX_BODY);
    }

    /**
     * @param timeout deadline of one request, from resolve to the last response byte
     * @param maxBody larger response bodies fail the request
     */
    public SideRequestClient(Duration timeout, int maxBody) {
        this.timeout = timeout;
        this.maxBody = maxBody;
        this.nioResolver = resolver(NioDatagramChannel.class);
        this.epollResolver = resolver(EpollDatagramChannel.class);
        try {
            this.verifyingTls = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
            this.trustingTls = SslContextBuilder.forClient().endpointIdentificationAlgorithm(null)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for side requests", e);
        }
    }

    private static DnsAddressResolverGroup resolver(Class<? extends DatagramChannel> datagramType) {
        return new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(datagramType));
    }

    /**
     * Sends {@code method target.path()} with {@code headers} (Host and Connection are set here) and no body.
     *
     * @param loop        the event loop to run on (the caller's); the future completes there
     * @param channelType the socket channel class of that loop's transport
     * @param skipVerify  for https targets, accept any certificate
     */
    public Future<SideResponse> send(EventLoop loop, Class<? extends Channel> channelType, HttpMethod method,
            SideTarget target, HttpHeaders headers, boolean skipVerify) {
        Promise<SideResponse> promise = loop.newPromise();
        boolean epoll = EpollSocketChannel.class.isAssignableFrom(channelType);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .resolver(epoll ? epollResolver : nioResolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (target.tls()) {
                            SslContext tls = skipVerify ? trustingTls : verifyingTls;
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), target.host(), target.port()));
                        }
                        ch.pipeline().addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(maxBody))
                                .addLast(new ResponseCollector(promise));
                    }
                });
        ChannelFuture connect = bootstrap.connect(target.host(), target.port());
        Channel channel = connect.channel();
        ScheduledFuture<?> deadline = loop.schedule(() -> {
            promise.tryFailure(new TimeoutException("no answer from " + target.authority() + " within " + timeout));
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        promise.addListener(f -> {
            deadline.cancel(false);
            channel.close();
        });
        channel.closeFuture().addListener(f -> promise.tryFailure(
                new ClosedChannelException()));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target.path());
            request.headers().set(headers);
            request.headers().set(HttpHeaderNames.HOST, target.authority());
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            channel.writeAndFlush(request).addListener(w -> {
                if (!w.isSuccess()) {
                    promise.tryFailure(w.cause());
                }
            });
        });
        return promise;
    }

    @Override
    public void close() {
        nioResolver.close();
        epollResolver.close();
    }

    /** Completes the promise with the aggregated response, copied out, or fails it on any error. */
    private static final class ResponseCollector extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Promise<SideResponse> promise;

        ResponseCollector(Promise<SideResponse> promise) {
            this.promise = promise;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (response.decoderResult().isFailure()) {
                promise.tryFailure(new IOException("malformed response", response.decoderResult().cause()));
                return;
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            response.headers().forEach(h -> headers.add(Map.entry(h.getKey(), h.getValue())));
            byte[] body = ByteBufUtil.getBytes(response.content());
            promise.trySuccess(new SideResponse(response.status().code(), headers, body));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            promise.tryFailure(cause);
            ctx.close();
        }
    }
}
