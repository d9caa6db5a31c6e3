package io.sluice.proxy.passthrough;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.snapshot.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first TLS handler of a client connection: buffers the ClientHello (Netty's parser, nothing is decrypted),
 * reads its server name and asks the serving snapshot's passthrough routes. No route: replaces itself with TLS
 * termination, which reads the same buffered bytes, as if it had never been there. A route: connects to an
 * endpoint of its service (reads from the client wait meanwhile), then replaces every HTTP handler of the client
 * with a {@link PassthroughRelay} and hands it the buffered ClientHello. A failed connect closes the client at
 * once. The ClientHello must arrive within {@link #HELLO_TIMEOUT_MILLIS}, as for terminated TLS.
 *
 * <p>A client may send its ClientHello and end its output at once (half-close): while passthrough routes exist the
 * connection allows half-closure until the decision, and an end of input seen meanwhile is held back from the HTTP
 * handlers, then passed to the relay (which ends the backend's output after the ClientHello) or, for termination,
 * closes the connection as it did before (half-closure is switched off again).
 */
final class PassthroughSniRouter extends AbstractSniHandler<PassthroughSniRouter.Connected> {
    static final long HELLO_TIMEOUT_MILLIS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(PassthroughSniRouter.class);

    /** The backend connection made for a route. */
    record Connected(String routerId, Channel backend) {
    }

    private final String entryPoint;
    private final Supplier<PassthroughRoutes> routes;
    private final PassthroughMetrics metrics;
    private final String terminationName;
    private final Supplier<ChannelHandler> termination;
    /** A backend connect for this connection is under way. */
    private boolean connecting;
    /** The client ended its output before the decision. */
    private boolean inputEnded;

    PassthroughSniRouter(String entryPoint, Supplier<PassthroughRoutes> routes, PassthroughMetrics metrics,
            String terminationName, Supplier<ChannelHandler> termination) {
        super(HELLO_TIMEOUT_MILLIS);
        this.entryPoint = entryPoint;
        this.routes = routes;
        this.metrics = metrics;
        this.terminationName = terminationName;
        this.termination = termination;
    }

    /** Without passthrough routes the connection goes straight to termination, with no ClientHello parse. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        if (routes.get().isEmpty()) {
            ctx.pipeline().replace(this, terminationName, termination.get());
            return;
        }
        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ctx.pipeline().addBefore(ctx.name(), InputEndedReadGuard.NAME, new InputEndedReadGuard());
        super.handlerAdded(ctx);
    }

    /** Holds back the end of input until the connection is either relayed or terminated. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputEnded = true;
            if (!connecting) {
                ctx.close(); // no complete ClientHello: nothing to route
            }
            return;
        }
        if (evt instanceof ChannelInputShutdownReadComplete) {
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected Future<Connected> lookup(ChannelHandlerContext ctx, String serverName) {
        PassthroughRoutes now = routes.get();
        PassthroughRoute route = now.match(entryPoint, serverName);
        if (route == null) {
            return ctx.executor().newSucceededFuture(null);
        }
        Endpoint endpoint = route.nextEndpoint();
        if (endpoint == null) {
            metrics.noEndpoint(route.id());
            return ctx.executor().newFailedFuture(new IllegalStateException(
                    "tcp router " + route.id() + ": no ready endpoint"));
        }
        connecting = true;
        return connect(ctx.channel(), route.id(), endpoint, now);
    }

    private Future<Connected> connect(Channel client, String routerId, Endpoint endpoint, PassthroughRoutes now) {
        Promise<Connected> promise = client.eventLoop().newPromise();
        ChannelFuture connect = new Bootstrap()
                .group(client.eventLoop())
                .channel(client instanceof EpollSocketChannel ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) now.connectTimeout().toMillis())
                .handler(new PassthroughRelay(client))
                .connect(endpoint.address(), endpoint.port());
        connect.addListener(f -> {
            if (f.isSuccess()) {
                promise.setSuccess(new Connected(routerId, connect.channel()));
            } else {
                metrics.connectFailed(routerId);
                LOG.debug("tcp router {}: cannot connect to {}: {}", routerId, endpoint.authority(),
                        f.cause().toString());
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String serverName, Future<Connected> future) {
        if (!future.isSuccess()) {
            ctx.close();
            return;
        }
        Connected connected = future.getNow();
        if (connected == null) {
            terminate(ctx);
            return;
        }
        if (!ctx.channel().isActive()) {
            connected.backend().close();
            return;
        }
        takeOver(ctx, connected);
    }

    /** TLS termination takes over, with the connection's settings as they were before this handler. */
    private void terminate(ChannelHandlerContext ctx) {
        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        ctx.pipeline().remove(InputEndedReadGuard.NAME);
        ctx.pipeline().replace(this, terminationName, termination.get());
        if (inputEnded) {
            ctx.channel().close();
        }
    }

    /** Makes the client connection a relay: its HTTP handlers go, the buffered ClientHello goes to the backend. */
    private void takeOver(ChannelHandlerContext ctx, Connected connected) {
        Channel client = ctx.channel();
        Channel backend = connected.backend();
        metrics.relayOpened(connected.routerId());
        client.closeFuture().addListener(f -> metrics.relayClosed());
        ChannelPipeline pipeline = ctx.pipeline();
        for (String name : handlersAfter(pipeline, ctx.name())) {
            pipeline.remove(name);
        }
        pipeline.addLast(PassthroughRelay.NAME, new PassthroughRelay(backend));
        pipeline.remove(this);
        backend.read();
        if (inputEnded) {
            pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else {
            client.read();
        }
    }

    private static List<String> handlersAfter(ChannelPipeline pipeline, String self) {
        List<String> names = pipeline.names();
        List<String> after = new ArrayList<>();
        for (int i = names.indexOf(self) + 1; i < names.size(); i++) {
            if (pipeline.get(names.get(i)) != null) {
                after.add(names.get(i));
            }
        }
        return after;
    }
}
