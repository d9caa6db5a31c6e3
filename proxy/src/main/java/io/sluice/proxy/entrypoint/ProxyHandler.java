package io.sluice.proxy.entrypoint;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
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
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.middleware.Answer;
import io.sluice.proxy.middleware.ErrorsMiddleware;
import io.sluice.proxy.middleware.ExchangeOutcome;
import io.sluice.proxy.middleware.Reply;
import io.sluice.proxy.middleware.RequestBodyBuffer;
import io.sluice.proxy.upstream.UpstreamConnection;
import io.sluice.proxy.upstream.UpstreamListener;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * The data path of one client connection: entrypoint → router → middlewares → balancer → upstream pool →
 * endpoint, one exchange at a time (pipelined requests wait in {@link #backlog}). Bodies are streamed: the
 * client is read only while the upstream connection can take more, the upstream only while the client can.
 * Runs on the connection's event loop, as does the upstream connection it leases.
 *
 * <p>This class is the coordinator: it owns the connection's events, the backlog, the life of each
 * {@link Exchange}, the body streaming both ways and the answers the proxy gives itself. The stages it hands a
 * request to are their own classes: {@link RequestHeadCheck} (is the head fit to route), {@link RequestRouting}
 * (which route), the route's middlewares, {@link ProxiedHeads} (heads as they cross), {@link UpstreamDispatch}
 * (endpoint, lease, retry) and {@link RawRelayHandler#takeOver} (after a WebSocket upgrade).
 */
final class ProxyHandler extends ChannelDuplexHandler implements UpstreamListener, UpstreamDispatch.Attempts {
    /** Fired down the pipeline to ask the connection to finish its exchange and close. */
    static final Object DRAIN = new Object();

    private final EntrypointSettings settings;
    private final ExchangeRecorder recorder;
    private final RequestHeadCheck headCheck;
    private final RequestRouting routes;
    private final ProxiedHeads heads;
    private final ForwardingHeaders forwarding;
    /** This connection's (or stream's) client; worked out at its first request. */
    private ClientPeer peer;
    private final RequestHeadTimer headTimer;
    private final ResponseShaping shaping;
    /** Write a final response whose body came whole as one message (HTTP/1.1; see {@link WholeMessages}). */
    private final boolean wholeResponses;
    private final ArrayDeque<HttpObject> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean draining;

    private boolean inExchange;
    private Exchange exchange = Exchange.none();
    private LazyDeadline responseHeaderDeadline;
    private UpstreamDispatch upstreams;

    /** @param scheme {@code http} or {@code https}: what this entrypoint speaks, for {@code X-Forwarded-Proto} */
    ProxyHandler(EntrypointSettings settings, ActiveSnapshot<CompiledSnapshot> active, ForwardingHeaders forwarding,
            PathNormalizer paths, ExchangeRecorder recorder, String scheme, RequestHeadTimer headTimer,
            ResponseShaping shaping, boolean wholeResponses) {
        this.settings = settings;
        this.recorder = recorder;
        this.headCheck = new RequestHeadCheck(settings.maxHeaderCount());
        this.routes = new RequestRouting(settings.name(), active, paths, forwarding, scheme);
        this.heads = new ProxiedHeads(forwarding, scheme);
        this.forwarding = forwarding;
        this.headTimer = headTimer;
        this.shaping = shaping;
        this.wholeResponses = wholeResponses;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.responseHeaderDeadline = new LazyDeadline(context.executor(), this::responseHeaderTimedOut);
        this.upstreams = new UpstreamDispatch(context.channel(), this);
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
        if (context.channel().isWritable() && exchange.upstream != null && !exchange.responseDone) {
            exchange.upstream.channel().read();
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
        if (exchange.mirror != null) {
            exchange.mirror.abandon();
        }
        exchange.dropUpstream();
        if (inExchange) {
            exchange.status = exchange.responseStarted ? exchange.status : 499;
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
            if (!inExchange || exchange.requestDone) {
                ReferenceCountUtil.release(backlog.poll());
                continue;
            }
            if (exchange.upstream == null && !exchange.discardBody) {
                break; // waiting for the upstream connection
            }
            forwardBody((HttpContent) backlog.poll());
        }
        if (exchange.upstream != null) {
            exchange.upstream.channel().flush();
        }
    }

    private void begin(HttpRequest request) {
        inExchange = true;
        exchange = new Exchange(request.method().name(), System.nanoTime());
        headTimer.headReceived();
        exchange.closeAfter = draining || !HttpUtil.isKeepAlive(request);
        exchange.clientHttp10 = HttpVersion.HTTP_1_0.equals(request.protocolVersion());
        exchange.requestHasBody = true; // until the head is known to be well-formed

        RequestHeadCheck.Refusal refusal = headCheck.refusalFor(request);
        if (refusal != null) {
            refuse(refusal.status(), refusal.text());
            return;
        }
        exchange.requestHasBody = HttpUtil.isTransferEncodingChunked(request)
                || HttpUtil.getContentLength(request, 0L) > 0;
        RequestRouting.Outcome routing = routes.route(request, peer(), exchange);
        if (routing == RequestRouting.Outcome.BAD_PATH) {
            refuse(routing.status, routing.text);
            return;
        }
        if (routing != RequestRouting.Outcome.ROUTED) {
            answer(routing.status, routing.text, routing.reason);
            return;
        }
        if (exchange.route.middlewares().waitsForIo()) {
            awaitMiddlewares(request);
            return;
        }
        Answer answer = exchange.route.middlewares().onRequest(exchange.forwarded);
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
        Exchange current = exchange;
        Future<Reply> decision = current.route.middlewares()
                .decide(current.forwarded, ClientSocket.of(ctx.channel()));
        if (decision.isDone()) {
            decided(decision, request, current);
        } else {
            decision.addListener(f -> decided(decision, request, current));
        }
    }

    private void decided(Future<Reply> decision, HttpRequest request, Exchange current) {
        if (exchange != current || !inExchange || !ctx.channel().isActive()) {
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
        String originalHost = request.headers().get(HttpHeaderNames.HOST);
        exchange.websocket = heads.toUpstream(request, exchange.forwarded, peer());
        exchange.retry = UpstreamRetry.start(exchange.route.middlewares().retry(), request, exchange.requestHasBody,
                originalHost);
        upstreams.dispatch(exchange, request);
    }

    private ClientPeer peer() {
        if (peer == null) {
            peer = forwarding.peer((InetSocketAddress) ctx.channel().remoteAddress(),
                    ((InetSocketAddress) ctx.channel().localAddress()).getPort());
        }
        return peer;
    }

    @Override
    public void leased(UpstreamConnection connection, HttpRequest request, long responseHeaderTimeoutMillis) {
        exchange.upstream = connection;
        exchange.upstream.attach(this);
        exchange.headerTimeoutMillis = responseHeaderTimeoutMillis;
        if (exchange.requestDone) { // a replay of a body-less request whose end was read for the first attempt
            exchange.pendingHead = request;
            forwardBody(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (HttpUtil.is100ContinueExpected(request)) {
            exchange.upstream.channel().write(request); // the client sends its body only after the backend's 100
        } else {
            exchange.pendingHead = request; // sent with the first body part, once that part proved well-framed
        }
        process();
        if (exchange.upstream != null) {
            exchange.upstream.channel().flush();
            exchange.upstream.channel().read();
        }
        maybeReadClient();
    }

    @Override
    public void unavailable(int status, String text, String reason) {
        answer(status, text, reason);
    }

    @Override
    public boolean awaitsUpstream(Exchange attempted) {
        return ctx.channel().isActive() && inExchange && exchange == attempted && !attempted.responseStarted;
    }

    private void forwardBody(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (exchange.mirror != null) {
            exchange.mirror.feed(content);
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            exchange.dropUpstream();
            exchange.pendingHead = null;
            if (exchange.responseStarted) {
                ctx.close();
            } else {
                inExchange = true;
                refuse(400, "malformed request body");
            }
            return;
        }
        RequestBodyBuffer buffer = exchange.forwarded == null ? null : exchange.forwarded.requestBodyBuffer();
        if (buffer != null && !exchange.discardBody && exchange.upstream != null) {
            content = buffer.add(content, ctx.alloc());
            if (buffer.overLimit()) {
                exchange.dropUpstream();
                exchange.pendingHead = null;
                answer(413, "request body too large", "request-body-limit");
                return;
            }
            if (content == null) {
                return;
            }
            if (exchange.pendingHead != null) {
                HttpUtil.setTransferEncodingChunked(exchange.pendingHead, false);
                HttpUtil.setContentLength(exchange.pendingHead, content.content().readableBytes());
            }
        }
        if (exchange.discardBody || exchange.upstream == null) {
            content.release();
        } else {
            HttpRequest head = exchange.pendingHead;
            exchange.pendingHead = null;
            if (head != null && content instanceof LastHttpContent) {
                exchange.upstream.channel().write(WholeMessages.request(head, (LastHttpContent) content));
            } else {
                if (head != null) {
                    exchange.upstream.channel().write(head);
                }
                exchange.upstream.channel().write(content);
            }
        }
        if (last) {
            exchange.requestDone = true;
            if (exchange.upstream != null && !exchange.responseStarted) {
                exchange.upstream.channel().flush();
                responseHeaderDeadline.arm(exchange.headerTimeoutMillis);
            }
            finishIfDone();
        }
    }

    private void responseHeaderTimedOut() {
        if (!exchange.responseStarted && exchange.upstream != null) {
            exchange.dropUpstream();
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
            exchange.retry.responseSeen();
            int code = response.status().code();
            if (code == 101) {
                if (exchange.websocket && exchange.requestDone) {
                    switchToRawRelay(response);
                } else {
                    ReferenceCountUtil.release(message);
                    upstreamFailed(); // only WebSocket upgrades are relayed
                }
                return;
            }
            exchange.interim = code < 200;
            if (!exchange.interim && replaceWithErrorPage(code)) {
                ReferenceCountUtil.release(message);
                return;
            }
            ForwardingHeaders.removeHopByHop(response.headers());
            if (!exchange.interim) {
                exchange.status = code;
                exchange.upstreamReusable = HttpUtil.isKeepAlive(response);
                exchange.picked.addResponseHeaders(response.headers());
                exchange.route.middlewares().onResponse(exchange.forwarded, response.headers());
                if (!exchange.requestDone) {
                    exchange.closeAfter = true;
                }
                exchange.closeAfter = ProxiedHeads.frameForClient(response, exchange.method, exchange.closeAfter,
                        exchange.clientHttp10);
                exchange.responseStarted = true;
                shaping.select(ctx, exchange.forwarded, exchange.method);
                if (wholeResponses) {
                    exchange.heldResponse = response; // written with its body's first part, or at the read's end
                    return;
                }
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
            writeResponsePart(content);
            if (content instanceof LastHttpContent) {
                if (exchange.interim) {
                    exchange.interim = false;
                    ctx.flush();
                    return;
                }
                ctx.flush();
                exchange.responseDone = true;
                UpstreamConnection finished = exchange.upstream;
                exchange.upstream = null;
                finished.release(exchange.requestDone && exchange.upstreamReusable);
                if (!exchange.requestDone) {
                    exchange.discardBody = true;
                }
                finishIfDone();
            }
            return;
        }
        ReferenceCountUtil.release(message);
    }

    private void writeResponsePart(HttpContent content) {
        HttpResponse head = exchange.heldResponse;
        if (head == null) {
            ctx.write(content);
            return;
        }
        exchange.heldResponse = null;
        if (content instanceof LastHttpContent) {
            ctx.write(WholeMessages.response(head, (LastHttpContent) content));
        } else {
            ctx.write(head);
            ctx.write(content);
        }
    }

    /**
     * An {@code errors} middleware takes responses with {@code code}: drop the backend's response (closing its
     * connection discards the body) and send the error page, under the same status, once it is fetched.
     */
    private boolean replaceWithErrorPage(int code) {
        ErrorsMiddleware errors = exchange.route.middlewares().errorPagesFor(code);
        if (errors == null) {
            return false;
        }
        exchange.status = code;
        exchange.responseStarted = true;
        exchange.discardBody = true;
        if (!exchange.requestDone) {
            exchange.closeAfter = true;
        }
        exchange.dropUpstream();
        Exchange current = exchange;
        errors.page(current.forwarded, code, ClientSocket.of(ctx.channel())).addListener(f -> {
            if (exchange != current || !inExchange || !ctx.channel().isActive()) {
                return;
            }
            FullHttpResponse page = ((Reply) f.getNow()).toHttpResponse();
            current.route.middlewares().onResponse(current.forwarded, page.headers());
            send(page);
        });
        return true;
    }

    /**
     * The backend accepted a WebSocket upgrade: send the 101 on, then take both connections out of HTTP and
     * relay raw bytes between them.
     */
    private void switchToRawRelay(HttpResponse response) {
        ProxiedHeads.switchingProtocols(response);
        exchange.status = 101;
        exchange.responseStarted = true;
        exchange.responseDone = true;
        record();
        inExchange = false;
        Channel backend = exchange.upstream.detach();
        exchange.upstream = null;
        ctx.writeAndFlush(response);
        while (!backlog.isEmpty()) {
            ReferenceCountUtil.release(backlog.poll());
        }
        RawRelayHandler.takeOver(ctx, backend);
    }

    @Override
    public void onReadComplete() {
        if (exchange.heldResponse != null) { // the body is still to come: the head goes now (streaming, SSE)
            ctx.write(exchange.heldResponse);
            exchange.heldResponse = null;
        }
        ctx.flush();
        if (exchange.upstream != null && !exchange.responseDone && ctx.channel().isWritable()) {
            exchange.upstream.channel().read();
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
        if (exchange.upstream != null && !exchange.responseDone) {
            if (!exchange.responseStarted && upstreams.retryLostConnection(exchange)) {
                cancelHeaderTimer();
                return;
            }
            upstreamFailed();
        }
    }

    private void upstreamFailed() {
        cancelHeaderTimer();
        exchange.dropUpstream();
        if (exchange.responseStarted) {
            exchange.status = exchange.status == 0 ? 502 : exchange.status;
            ctx.close();
        } else {
            answer(502, "bad gateway", "upstream-failed");
        }
    }

    private void refuse(int code, String text) {
        exchange.closeAfter = true;
        exchange.discardBody = true;
        while (!backlog.isEmpty()) {
            ReferenceCountUtil.release(backlog.poll());
        }
        exchange.status = code;
        recorder.answered(settings.name(), code, "malformed");
        FullHttpResponse response = response(code, text);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        exchange.responseStarted = true;
        exchange.responseDone = true;
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
        exchange.status = response.status().code();
        exchange.discardBody = true;
        if (!exchange.requestDone && exchange.requestHasBody) {
            exchange.closeAfter = true; // do not read an unknown amount of body we will throw away
        }
        if (exchange.closeAfter) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        exchange.responseStarted = true;
        exchange.responseDone = true;
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
        if (!inExchange || !exchange.responseDone || !(exchange.requestDone || exchange.closeAfter)) {
            return;
        }
        record();
        inExchange = false;
        if (exchange.closeAfter) {
            // an unread request body: close without a reset that would lose the answer (LingeringClose)
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(exchange.requestDone ? ChannelFutureListener.CLOSE
                    : LingeringClose.INSTANCE);
            return;
        }
        headTimer.awaitNextHead();
        process();
        maybeReadClient();
    }

    private void record() {
        Exchange done = exchange;
        if (done.forwarded != null) {
            done.forwarded.complete(new ExchangeOutcome(done.status, System.nanoTime() - done.startNanos));
        }
        recorder.exchange(settings.name(), done.route == null ? "" : done.route.routerId(),
                done.route == null ? "" : done.route.serviceId(),
                done.method == null ? "" : done.method.toUpperCase(Locale.ROOT),
                done.status, System.nanoTime() - done.startNanos);
    }

    private void maybeReadClient() {
        if (!ctx.channel().isActive() || !backlog.isEmpty() || (exchange.closeAfter && !inExchange)) {
            return;
        }
        if (!inExchange || exchange.requestDone || exchange.discardBody
                || (exchange.upstream != null && exchange.upstream.channel().isWritable())) {
            ctx.read();
        }
    }
}
