package io.sluice.proxy.mirror;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.sluice.proxy.balancer.MirrorPlan;
import io.sluice.proxy.balancer.UpstreamTarget;
import io.sluice.proxy.upstream.UpstreamConnection;

/**
 * Copies one request to the mirrors its pick chose. The exchange hands over each body part as it forwards it;
 * the copy is kept (up to the plan's body limit: a larger body cancels the mirroring of this request) and, once
 * the whole body is read, sent to every mirror on pooled connections of the client's event loop. Mirrors' answers
 * are read and dropped ({@link DiscardingExchange}); nothing here can delay or fail the main exchange. Runs on the
 * client connection's event loop.
 */
public final class RequestMirror {
    private final MirrorPlan plan;
    private final HttpMethod method;
    private final String uri;
    private final HttpHeaders headers;
    private final Channel client;
    private ByteBuf body;
    private long size;
    private boolean done;

    private RequestMirror(MirrorPlan plan, HttpRequest request, Channel client) {
        this.plan = plan;
        this.method = request.method();
        this.uri = request.uri();
        this.headers = request.headers().copy();
        this.client = client;
    }

    /**
     * The mirror of a request about to be sent to {@code target}, or null when the pick chose no mirror or the
     * declared body is larger than the limit. Call with the request as it goes upstream (headers rewritten).
     */
    public static RequestMirror of(UpstreamTarget target, HttpRequest request, Channel client) {
        MirrorPlan plan = target.mirror();
        if (plan == null || request.headers().contains(HttpHeaderNames.UPGRADE)) {
            return null; // an upgrade (WebSocket) is not a request that can be replayed
        }
        if (plan.maxBodySize() >= 0 && HttpUtil.getContentLength(request, 0L) > plan.maxBodySize()) {
            return null;
        }
        return new RequestMirror(plan, request, client);
    }

    /** One body part as the exchange forwards it; the part is not retained. The last part sends the copies. */
    public void feed(HttpContent content) {
        if (done) {
            return;
        }
        if (content.decoderResult().isFailure()) {
            abandon();
            return;
        }
        ByteBuf bytes = content.content();
        int readable = bytes.readableBytes();
        if (readable > 0) {
            if (plan.maxBodySize() >= 0 && size + readable > plan.maxBodySize()) {
                abandon();
                return;
            }
            if (body == null) {
                body = client.alloc().buffer(readable);
            }
            body.writeBytes(bytes, bytes.readerIndex(), readable);
            size += readable;
        }
        if (content instanceof LastHttpContent) {
            send();
        }
    }

    /** The exchange ended before the body was complete: nothing is sent. */
    public void abandon() {
        done = true;
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void send() {
        done = true;
        try {
            for (UpstreamTarget target : plan.targets()) {
                sendTo(target);
            }
        } finally {
            if (body != null) {
                body.release();
                body = null;
            }
        }
    }

    private void sendTo(UpstreamTarget target) {
        ByteBuf copy = body == null ? Unpooled.EMPTY_BUFFER : body.retainedDuplicate();
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, copy,
                headers.copy(), EmptyHttpHeaders.INSTANCE);
        request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        request.headers().remove(HttpHeaderNames.EXPECT);
        request.headers().remove(HttpHeaderNames.CONNECTION);
        if (size > 0 || request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(request, size);
        }
        if (!target.passHostHeader() || !request.headers().contains(HttpHeaderNames.HOST)) {
            request.headers().set(HttpHeaderNames.HOST, target.endpoint().authority());
        }
        Future<UpstreamConnection> acquired = target.endpoint().pool(client.eventLoop(), client.getClass())
                .acquire(target.settings());
        acquired.addListener(f -> {
            if (!f.isSuccess()) {
                request.release();
                return;
            }
            UpstreamConnection connection = acquired.getNow();
            connection.attach(new DiscardingExchange(connection, target.settings().responseHeaderTimeout()));
            connection.channel().writeAndFlush(request);
            connection.channel().read();
        });
    }
}
