package io.sluice.proxy.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.proxy.lifecycle.Drainable;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One small HTTP/1.1 listener of the control side (push or health): binds, optionally speaks TLS, decodes HTTP
 * with tight limits, and knows its open connections so it can be drained and closed. The caller adds its own
 * handlers after the codec.
 */
public final class HttpListener implements Drainable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpListener.class);
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 8192;
    private static final int MAX_CHUNK_SIZE = 65536;

    static final String TLS = "tls";
    static final String CODEC = "http-codec";
    static final String IN_FLIGHT = "in-flight";

    private final String name;
    private final InetSocketAddress address;
    private final EventLoopGroup group;
    private final SslContext tls;
    private final Consumer<ChannelPipeline> handlers;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile boolean draining;
    private volatile Channel serverChannel;

    /**
     * @param name     for logs ({@code push}, {@code health})
     * @param tls      null for plain HTTP
     * @param handlers adds the listener's own handlers after the HTTP codec
     */
    public HttpListener(String name, InetSocketAddress address, EventLoopGroup group, SslContext tls,
            Consumer<ChannelPipeline> handlers) {
        this.name = Objects.requireNonNull(name, "name");
        this.address = Objects.requireNonNull(address, "address");
        this.group = Objects.requireNonNull(group, "group");
        this.tls = tls;
        this.handlers = Objects.requireNonNull(handlers, "handlers");
    }

    /** Binds the socket; throws if the address is taken. */
    public void start() throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (draining) {
                            ch.close();
                            return;
                        }
                        connections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast(TLS, tls.newHandler(ch.alloc()));
                        }
                        p.addLast(CODEC, new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE));
                        p.addLast(IN_FLIGHT, new InFlightTracker(() -> draining));
                        handlers.accept(p);
                    }
                });
        serverChannel = bootstrap.bind(address).sync().channel();
        log.info("{} listener on {}{}", name, serverChannel.localAddress(), tls == null ? "" : " (TLS)");
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void stopAccepting() {
        Channel server = serverChannel;
        if (server != null) {
            server.close().syncUninterruptibly();
            log.info("{} listener stopped accepting connections", name);
        }
    }

    @Override
    public CompletableFuture<Void> drain() {
        draining = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        connections.newCloseFuture().addListener(f -> done.complete(null));
        for (Channel ch : connections) {
            ch.eventLoop().execute(() -> {
                ChannelHandlerContext ctx = ch.pipeline().context(IN_FLIGHT);
                if (ctx != null) {
                    ((InFlightTracker) ctx.handler()).closeIfIdle(ctx);
                }
            });
        }
        return done;
    }

    /** Stops accepting and closes every connection at once. Does not shut down the event loop group. */
    @Override
    public void close() {
        draining = true;
        stopAccepting();
        connections.close().syncUninterruptibly();
    }
}
