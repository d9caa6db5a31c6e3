package io.sluice.proxy.entrypoint;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledRoute;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.balancer.RequestCookies;
import io.sluice.proxy.balancer.UpstreamTarget;
import io.sluice.proxy.middleware.Answer;
import io.sluice.proxy.middleware.ErrorsMiddleware;
import io.sluice.proxy.middleware.ExchangeOutcome;
import io.sluice.proxy.middleware.ForwardedRequest;
import io.sluice.proxy.middleware.Reply;
import io.sluice.proxy.middleware.RequestBodyBuffer;
import io.sluice.proxy.mirror.RequestMirror;
import io.sluice.proxy.upstream.UpstreamConnection;
import io.sluice.proxy.upstream.UpstreamLimitException;
import io.sluice.proxy.upstream.UpstreamListener;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The data path of one client connection: entrypoint → router → middlewares → balancer → upstream pool →
 * endpoint, one exchange at a time (pipelined requests wait in {@link #backlog}). Bodies are streamed: the
 * client is read only while the upstream connection can take more, the upstream only while the client can.
 * Runs on the connection's event loop, as does the upstream connection it leases.
 */
final class ProxyHandler extends ChannelDuplexHandler implements UpstreamListener {
    /** Fired down the pipeline to ask the connection to finish its exchange and close. */
    static final Object DRAIN = new Object();

    private final EntrypointSettings settings;
    private final ActiveSnapshot<CompiledSnapshot> active;
    private final ForwardingHeaders forwarding;
    private final PathNormalizer paths;
    private final ExchangeRecorder recorder;
    private final String scheme;
    private final ArrayDeque<HttpObject> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean draining;

    // the current exchange
    private boolean inExchange;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean responseDone;
    private boolean interim;
    private boolean discardBody;
    private boolean closeAfter;
    private boolean upstreamReusable;
    private boolean requestHasBody;
    private boolean websocket;
    private UpstreamConnection upstream;
    private ForwardedRequest forwarded;
    private CompiledRoute route;
    private LazyDeadline responseHeaderDeadline;
    private String method;
    private int status;
    private long startNanos;
    private UpstreamTarget picked;
    private RequestMirror mirror;

    /** @param scheme {@code http} or {@code https}: what this entrypoint speaks, for {@code X-Forwarded-Proto} */
    ProxyHandler(EntrypointSettings settings, ActiveSnapshot<CompiledSnapshot> active, ForwardingHeaders forwarding,
            PathNormalizer paths, ExchangeRecorder recorder, String scheme) {
        this.scheme = scheme;
        this.settings = settings;
        this.active = active;
        this.forwarding = forwarding;
        this.paths = paths;
        this.recorder = recorder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.responseHeaderDeadline = new LazyDeadline(context.executor(), this::responseHeaderTimedOut);
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        context.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof HttpObject)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        backlog.add((HttpObject) msg);
        process();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        maybeReadClient();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable() && upstream != null && !responseDone) {
            upstream.channel().read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt == DRAIN) {
            draining = true;
            if (!inExchange) {
                context.close();
            }
        } else if (evt instanceof IdleStateEvent) {
            if (!inExchange) {
                context.close();
            }
        } else {
            context.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        while (!backlog.isEmpty()) {
            ReferenceCountUtil.release(backlog.poll());
        }
        responseHeaderDeadline.close();
        if (mirror != null) {
            mirror.abandon();
        }
        if (upstream != null) {
            upstream.release(false);
            upstream = null;
        }
        if (inExchange) {
            status = responseStarted ? status : 499;
            record();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }

    private void process() {
        while (!backlog.isEmpty()) {
            HttpObject next = backlog.peek();
            if (next instanceof HttpRequest) {
                if (inExchange) {
                    break;
                }
                backlog.poll();
                begin((HttpRequest) next);
                continue;
            }
            if (!inExchange || requestDone) {
                ReferenceCountUtil.release(backlog.poll());
                continue;
            }
            if (upstream == null && !discardBody) {
                break; // waiting for the upstream connection
            }
            forwardBody((HttpContent) backlog.poll());
        }
        if (upstream != null) {
            upstream.channel().flush();
        }
    }

    private void begin(HttpRequest request) {
        inExchange = true;
        requestDone = false;
        responseStarted = false;
        responseDone = false;
        interim = false;
        discardBody = false;
        upstreamReusable = false;
        route = null;
        forwarded = null;
        status = 0;
        method = request.method().name();
        websocket = false;
        picked = null;
        mirror = null;
        startNanos = System.nanoTime();
        HeaderReadTimeoutHandler headerTimeout = ctx.pipeline().get(HeaderReadTimeoutHandler.class);
        if (headerTimeout != null) {
            headerTimeout.headReceived();
        }
        closeAfter = draining || !HttpUtil.isKeepAlive(request);
        requestHasBody = true; // until the head is known to be well-formed

        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            int code = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException ? 431 : 400;
            refuse(code, "malformed request");
            return;
        }
        String framingProblem = framingProblem(request);
        if (framingProblem != null) {
            refuse(framingProblem.startsWith("431") ? 431 : 400, framingProblem.substring(4));
            return;
        }
        requestHasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = paths.normalize(q < 0 ? uri : uri.substring(0, q));
        if (path == null) {
            refuse(400, "bad path");
            return;
        }
        String query = q < 0 ? null : uri.substring(q + 1);
        ActiveSnapshot.Applied<CompiledSnapshot> snapshot = active.current();
        if (snapshot == null) {
            answer(503, "no configuration yet", "no-config");
            return;
        }
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        route = snapshot.compiled().router().match(settings.name(),
                new HttpRequestView(path, query, method, request.headers(), peer.getAddress()));
        if (route == null) {
            answer(404, "no route", "no-route");
            return;
        }
        forwarded = new ForwardedRequest(path, query, request.headers(), scheme,
                request.headers().get(HttpHeaderNames.HOST), peer.getAddress(),
                forwarding.trusts(peer.getAddress()), method);
        if (route.middlewares().waitsForIo()) {
            awaitMiddlewares(request);
            return;
        }
        Answer answer = route.middlewares().onRequest(forwarded);
        if (answer != null) {
            FullHttpResponse response = response(answer.status(), answer.body());
            answer.headers().forEach((k, v) -> response.headers().set(k, v));
            send(response);
            return;
        }
        proceed(request);
    }

    /**
     * Runs a chain with asynchronous steps (forwardAuth) without blocking: the body stays in the backlog, unread
     * past it, until {@link #decided}.
     */
    private void awaitMiddlewares(HttpRequest request) {
        ForwardedRequest exchange = forwarded;
        Future<Reply> decision = route.middlewares().decide(forwarded, ClientSocket.of(ctx.channel()));
        if (decision.isDone()) {
            decided(decision, request, exchange);
        } else {
            decision.addListener(f -> decided(decision, request, exchange));
        }
    }

    private void decided(Future<Reply> decision, HttpRequest request, ForwardedRequest exchange) {
        if (forwarded != exchange || !inExchange || !ctx.channel().isActive()) {
            return; // the client left meanwhile
        }
        if (!decision.isSuccess()) {
            answer(500, "middleware failed", "middleware-failed");
        } else if (decision.getNow() != null) {
            send(decision.getNow().toHttpResponse());
        } else {
            proceed(request);
        }
    }

    /** The middlewares let the request through: rewrite it for the upstream and send it there. */
    private void proceed(HttpRequest request) {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        String originalHost = request.headers().get(HttpHeaderNames.HOST);
        websocket = "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        ForwardingHeaders.removeHopByHop(request.headers());
        if (websocket) {
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        }
        forwarding.addForwarded(request.headers(), peer,
                scheme, ((InetSocketAddress) ctx.channel().localAddress()).getPort());
        request.setUri(forwarded.uri());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        retry = UpstreamRetry.start(route.middlewares().retry(), request, requestHasBody, originalHost);
        dispatch(request);
    }

    /** Picks an endpoint and leases a connection to it; called again, with a replayable head, to retry. */
    private void dispatch(HttpRequest request) {
        UpstreamTarget target = route.service().pick(RequestCookies.of(request.headers()));
        picked = target;
        if (target == null) {
            answer(503, "no available endpoint", "no-endpoint");
            return;
        }
        String originalHost = retry.originalHost();
        request.headers().set(HttpHeaderNames.HOST, !target.passHostHeader() || originalHost == null
                ? target.endpoint().authority() : originalHost);
        if (mirror == null) {
            mirror = RequestMirror.of(target, request, ClientSocket.of(ctx.channel()));
        }
        Future<UpstreamConnection> acquired = target.endpoint()
                .pool(ctx.channel().eventLoop(), ClientSocket.of(ctx.channel()).getClass())
                .acquire(target.settings(), retry.freshConnection());
        long responseTimeout = target.settings().responseHeaderTimeout().toMillis();
        if (acquired.isDone()) {
            connected(acquired, request, responseTimeout);
        } else {
            acquired.addListener(f -> connected(acquired, request, responseTimeout));
        }
    }

    /** Message-framing checks the codec leaves to us (RFC 9112 section 6). */
    private String framingProblem(HttpRequest request) {
        if (request.headers().size() > settings.maxHeaderCount()) {
            return "431 too many headers";
        }
        java.util.List<String> encodings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!encodings.isEmpty()) {
            if (encodings.size() > 1 || !encodings.get(0).trim().equalsIgnoreCase("chunked")) {
                return "400 unsupported transfer-encoding";
            }
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                return "400 transfer-encoding in HTTP/1.0";
            }
        }
        if (request.headers().contains(HttpHeaderNames.HOST)
                && request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
            return "400 duplicate host";
        }
        return null;
    }

    private void connected(Future<UpstreamConnection> acquired, HttpRequest request, long responseTimeout) {
        if (!ctx.channel().isActive()) {
            if (acquired.isSuccess()) {
                acquired.getNow().release(false);
            }
            return;
        }
        if (!acquired.isSuccess()) {
            if (retryLater(request, retry.afterConnectFailure())) {
                return;
            }
            boolean limit = acquired.cause() instanceof UpstreamLimitException;
            answer(limit ? 503 : 502, limit ? "upstream connection limit" : "bad gateway",
                    limit ? "upstream-limit" : acquired.cause() instanceof io.sluice.proxy.upstream.UpstreamTlsException
                            ? "upstream-tls" : "connect-failed");
            return;
        }
        upstream = acquired.getNow();
        upstream.attach(this);
        this.headerTimeoutMillis = responseTimeout;
        if (requestDone) { // a replay of a body-less request whose end was read for the first attempt
            pendingHead = request;
            forwardBody(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (HttpUtil.is100ContinueExpected(request)) {
            upstream.channel().write(request); // the client sends its body only after the backend's 100
        } else {
            pendingHead = request; // sent with the first body part, once that part proved well-framed
        }
        process();
        if (upstream != null) {
            upstream.channel().flush();
            upstream.channel().read();
        }
        maybeReadClient();
    }

    private long headerTimeoutMillis;
    private HttpRequest pendingHead;
    private UpstreamRetry retry;

    /** Runs {@link #dispatch} again after {@code delayMillis}, unless the delay says not to retry. */
    private boolean retryLater(HttpRequest request, long delayMillis) {
        if (delayMillis == UpstreamRetry.NO_RETRY) {
            return false;
        }
        UpstreamRetry attempt = retry;
        ctx.executor().schedule(() -> {
            if (ctx.channel().isActive() && inExchange && retry == attempt && !responseStarted) {
                dispatch(request);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
        return true;
    }

    /** The upstream connection closed before any response: retry when {@link UpstreamRetry} allows it. */
    private boolean retryLostConnection() {
        if (!requestDone || pendingHead != null) {
            return false;
        }
        long delay = retry.afterLostConnection(upstream.reused());
        if (delay == UpstreamRetry.NO_RETRY) {
            return false;
        }
        cancelHeaderTimer();
        upstream.release(false);
        upstream = null;
        return retryLater(retry.replayHead(), delay);
    }

    private void forwardBody(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (mirror != null) {
            mirror.feed(content);
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            if (upstream != null) {
                upstream.release(false);
                upstream = null;
            }
            pendingHead = null;
            if (responseStarted) {
                ctx.close();
            } else {
                inExchange = true;
                refuse(400, "malformed request body");
            }
            return;
        }
        RequestBodyBuffer buffer = forwarded == null ? null : forwarded.requestBodyBuffer();
        if (buffer != null && !discardBody && upstream != null) {
            content = buffer.add(content, ctx.alloc());
            if (buffer.overLimit()) {
                upstream.release(false);
                upstream = null;
                pendingHead = null;
                answer(413, "request body too large", "request-body-limit");
                return;
            }
            if (content == null) {
                return;
            }
            if (pendingHead != null) {
                HttpUtil.setTransferEncodingChunked(pendingHead, false);
                HttpUtil.setContentLength(pendingHead, content.content().readableBytes());
            }
        }
        if (discardBody || upstream == null) {
            content.release();
        } else {
            if (pendingHead != null) {
                upstream.channel().write(pendingHead);
                pendingHead = null;
            }
            upstream.channel().write(content);
        }
        if (last) {
            requestDone = true;
            if (upstream != null && !responseStarted) {
                upstream.channel().flush();
                responseHeaderDeadline.arm(headerTimeoutMillis);
            }
            finishIfDone();
        }
    }

    private void responseHeaderTimedOut() {
        if (!responseStarted && upstream != null) {
            upstream.release(false);
            upstream = null;
            answer(504, "gateway timeout", "response-header-timeout");
        }
    }

    private void cancelHeaderTimer() {
        responseHeaderDeadline.disarm();
    }

    @Override
    public void onResponse(Object message) {
        if (message instanceof HttpResponse) {
            HttpResponse response = (HttpResponse) message;
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(message);
                upstreamFailed();
                return;
            }
            cancelHeaderTimer();
            retry.responseSeen();
            int code = response.status().code();
            if (code == 101) {
                if (websocket && requestDone) {
                    switchToRawRelay(response);
                } else {
                    ReferenceCountUtil.release(message);
                    upstreamFailed(); // only WebSocket upgrades are relayed
                }
                return;
            }
            interim = code < 200;
            if (!interim && replaceWithErrorPage(code)) {
                ReferenceCountUtil.release(message);
                return;
            }
            ForwardingHeaders.removeHopByHop(response.headers());
            if (!interim) {
                status = code;
                upstreamReusable = HttpUtil.isKeepAlive(response);
                picked.addResponseHeaders(response.headers());
                route.middlewares().onResponse(forwarded, response.headers());
                if (!requestDone) {
                    closeAfter = true;
                }
                if (!HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)
                        && code != 204 && code != 304 && !"HEAD".equals(method)) {
                    HttpUtil.setTransferEncodingChunked(response, true);
                }
                if (closeAfter) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                responseStarted = true;
                ResponseShaping.select(ctx.channel(), forwarded);
            }
            ctx.write(response);
            return;
        }
        if (message instanceof HttpContent) {
            HttpContent content = (HttpContent) message;
            if (content.decoderResult().isFailure()) {
                content.release();
                upstreamFailed();
                return;
            }
            ctx.write(content);
            if (content instanceof LastHttpContent) {
                if (interim) {
                    interim = false;
                    ctx.flush();
                    return;
                }
                ctx.flush();
                responseDone = true;
                UpstreamConnection finished = upstream;
                upstream = null;
                finished.release(requestDone && upstreamReusable);
                if (!requestDone) {
                    discardBody = true;
                }
                finishIfDone();
            }
            return;
        }
        ReferenceCountUtil.release(message);
    }

    /**
     * An {@code errors} middleware takes responses with {@code code}: drop the backend's response (closing its
     * connection discards the body) and send the error page, under the same status, once it is fetched.
     */
    private boolean replaceWithErrorPage(int code) {
        ErrorsMiddleware errors = route.middlewares().errorPagesFor(code);
        if (errors == null) {
            return false;
        }
        status = code;
        responseStarted = true;
        discardBody = true;
        if (!requestDone) {
            closeAfter = true;
        }
        UpstreamConnection dropped = upstream;
        upstream = null;
        dropped.release(false);
        ForwardedRequest exchange = forwarded;
        errors.page(forwarded, code, ClientSocket.of(ctx.channel())).addListener(f -> {
            if (forwarded != exchange || !inExchange || !ctx.channel().isActive()) {
                return;
            }
            FullHttpResponse page = ((Reply) f.getNow()).toHttpResponse();
            route.middlewares().onResponse(forwarded, page.headers());
            send(page);
        });
        return true;
    }

    /**
     * The backend accepted a WebSocket upgrade: send the 101 on, then take both connections out of HTTP and
     * relay raw bytes between them.
     */
    private void switchToRawRelay(HttpResponse response) {
        ForwardingHeaders.removeHopByHop(response.headers());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        status = 101;
        responseStarted = true;
        responseDone = true;
        record();
        inExchange = false;
        io.netty.channel.Channel backend = upstream.detach();
        upstream = null;
        ctx.writeAndFlush(response);
        while (!backlog.isEmpty()) {
            ReferenceCountUtil.release(backlog.poll());
        }
        io.netty.channel.ChannelPipeline client = ctx.pipeline();
        client.addLast(RawRelayHandler.NAME, new RawRelayHandler(backend));
        client.remove(EntrypointServer.HEADER_TIMEOUT);
        client.remove(EntrypointServer.IDLE);
        client.remove(EntrypointServer.CODEC);
        io.netty.channel.ChannelPipeline server = backend.pipeline();
        server.addLast(RawRelayHandler.NAME, new RawRelayHandler(ctx.channel()));
        for (String name : io.sluice.proxy.upstream.UpstreamPool.HANDLER_NAMES) {
            server.remove(name);
        }
        client.remove(this);
    }

    @Override
    public void onReadComplete() {
        ctx.flush();
        if (upstream != null && !responseDone && ctx.channel().isWritable()) {
            upstream.channel().read();
        }
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        if (writable) {
            maybeReadClient();
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        if (upstream != null && !responseDone) {
            if (!responseStarted && retryLostConnection()) {
                return;
            }
            upstreamFailed();
        }
    }

    private void upstreamFailed() {
        cancelHeaderTimer();
        if (upstream != null) {
            upstream.release(false);
            upstream = null;
        }
        if (responseStarted) {
            status = status == 0 ? 502 : status;
            ctx.close();
        } else {
            answer(502, "bad gateway", "upstream-failed");
        }
    }

    private void refuse(int code, String text) {
        closeAfter = true;
        discardBody = true;
        while (!backlog.isEmpty()) {
            ReferenceCountUtil.release(backlog.poll());
        }
        status = code;
        recorder.answered(settings.name(), code, "malformed");
        FullHttpResponse response = response(code, text);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        responseStarted = true;
        responseDone = true;
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        record();
        inExchange = false;
        ctx.channel().config().setAutoRead(false);
    }

    private void answer(int code, String text, String reason) {
        recorder.answered(settings.name(), code, reason);
        send(response(code, text));
    }

    private void send(FullHttpResponse response) {
        status = response.status().code();
        discardBody = true;
        if (!requestDone && requestHasBody) {
            closeAfter = true; // do not read an unknown amount of body we will throw away
        }
        if (closeAfter) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        responseStarted = true;
        responseDone = true;
        ctx.writeAndFlush(response);
        process();
        finishIfDone();
    }

    private static FullHttpResponse response(int code, String text) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(response, body.length);
        return response;
    }

    private void finishIfDone() {
        if (!inExchange || !responseDone || !(requestDone || closeAfter)) {
            return;
        }
        record();
        inExchange = false;
        if (closeAfter) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        HeaderReadTimeoutHandler headerTimeout = ctx.pipeline().get(HeaderReadTimeoutHandler.class);
        if (headerTimeout != null) {
            headerTimeout.awaitNextHead();
        }
        process();
        maybeReadClient();
    }

    private void record() {
        if (forwarded != null) {
            forwarded.complete(new ExchangeOutcome(status, System.nanoTime() - startNanos));
        }
        recorder.exchange(settings.name(), route == null ? "" : route.routerId(),
                route == null ? "" : route.serviceId(), method == null ? "" : method.toUpperCase(Locale.ROOT),
                status, System.nanoTime() - startNanos);
    }

    private void maybeReadClient() {
        if (!ctx.channel().isActive() || !backlog.isEmpty() || (closeAfter && !inExchange)) {
            return;
        }
        if (!inExchange || requestDone || discardBody
                || (upstream != null && upstream.channel().isWritable())) {
            ctx.read();
        }
    }
}
