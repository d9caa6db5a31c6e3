package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.List;

/**
 * Lets the HTTP/1 exchange handler run unchanged on one HTTP/2 stream (between Netty's
 * {@code Http2StreamFrameToHttpObjectCodec} and the {@link ProxyHandler}):
 * <ul>
 * <li>a request that ended with its HEADERS frame arrives as one full request: it is passed on as head plus
 *     last content, the two events the exchange handler waits for;</li>
 * <li>Netty's {@code x-http2-*} bookkeeping headers are dropped so they never reach a backend, and a
 *     {@code Host} header repeated next to {@code :authority} keeps the {@code :authority} value (RFC 9113
 *     section 8.3.1);</li>
 * <li>an interim (1xx) response relayed from an HTTP/1.1 backend as head plus empty last content is sent as one
 *     HEADERS frame (the codec only takes it whole; the empty last content would end the stream);</li>
 * <li>a bare buffer written to flush the connection is dropped: a stream only carries frames;</li>
 * <li>for a gRPC request, an answer of the proxy itself becomes a gRPC error ({@link GrpcErrors}), and a
 *     backend's trailers-only response (head with {@code grpc-status}, then an empty end) is sent as one
 *     HEADERS frame that ends the stream, as gRPC clients require.</li>
 * </ul>
 */
final class Http2StreamAdapter extends ChannelDuplexHandler {
    private static final List<CharSequence> BOOKKEEPING = List.of(
            HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
            HttpConversionUtil.ExtensionHeaderNames.PATH.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_PROMISE_ID.text());

    private boolean dropInterimEnd;
    private boolean grpc;
    /** A gRPC head with {@code grpc-status}, held until we know whether a body follows. */
    private HttpResponse heldHead;
    private ChannelPromise heldPromise;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpRequest request = (HttpRequest) msg;
        BOOKKEEPING.forEach(request.headers()::remove);
        grpc = GrpcErrors.isGrpc(request.headers());
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            request.headers().set(HttpHeaderNames.HOST, hosts.get(0)); // :authority is translated first
        }
        if (msg instanceof FullHttpRequest) {
            FullHttpRequest full = (FullHttpRequest) msg;
            HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
                    full.headers());
            LastHttpContent last = new DefaultLastHttpContent(full.content().retain(), full.trailingHeaders());
            full.release();
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(last);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf) {
            ((ByteBuf) msg).release();
            promise.trySuccess();
            return;
        }
        if (grpc && writeGrpc(ctx, msg, promise)) {
            return;
        }
        if (msg instanceof HttpResponse && !(msg instanceof FullHttpResponse) && isInterim((HttpResponse) msg)) {
            HttpResponse head = (HttpResponse) msg;
            dropInterimEnd = true;
            ctx.write(WholeMessages.withoutBody(head), promise);
            return;
        }
        if (dropInterimEnd && msg instanceof LastHttpContent) {
            dropInterimEnd = false;
            ((LastHttpContent) msg).release();
            promise.trySuccess();
            return;
        }
        ctx.write(msg, promise);
    }

    /** Whether {@code msg} was written (or held) as gRPC needs it. */
    private boolean writeGrpc(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof FullHttpResponse && ((FullHttpResponse) msg).status().code() != 200) {
            FullHttpResponse answer = (FullHttpResponse) msg;
            String text = answer.content().toString(java.nio.charset.StandardCharsets.UTF_8);
            int code = answer.status().code();
            answer.release();
            ctx.write(GrpcErrors.trailersOnly(code, text), promise);
            return true;
        }
        if (heldHead != null) {
            HttpResponse head = heldHead;
            ChannelPromise headPromise = heldPromise;
            heldHead = null;
            heldPromise = null;
            if (msg instanceof LastHttpContent && !((LastHttpContent) msg).content().isReadable()
                    && ((LastHttpContent) msg).trailingHeaders().isEmpty()) {
                ((LastHttpContent) msg).release();
                ctx.write(WholeMessages.withoutBody(head), promise)
                        .addListener(f -> complete(headPromise, f));
                return true;
            }
            ctx.write(head, headPromise);
            return false;
        }
        if (msg instanceof HttpResponse && !(msg instanceof FullHttpResponse)
                && ((HttpResponse) msg).headers().contains(GrpcErrors.STATUS)) {
            heldHead = (HttpResponse) msg;
            heldPromise = promise;
            return true;
        }
        return false;
    }

    private static void complete(ChannelPromise promise, io.netty.util.concurrent.Future<?> result) {
        if (result.isSuccess()) {
            promise.trySuccess();
        } else {
            promise.tryFailure(result.cause());
        }
    }

    private static boolean isInterim(HttpResponse response) {
        int code = response.status().code();
        return code >= 100 && code < 200 && code != 101;
    }
}
