package io.sluice.proxy.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the bearer token of each push request on its head, before any body is buffered: an unauthenticated
 * client gets 401, its body is dropped unread and the connection is closed, so it can neither change the
 * snapshot nor make the proxy hold 64 MiB for it. With no token file configured, every request is refused.
 */
final class PushAuthHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PushAuthHandler.class);

    private final BearerTokenFile token;
    private final AdminResponses responses;
    private boolean refusing;

    /** @param token null when no token file is configured: then every request is refused */
    PushAuthHandler(BearerTokenFile token, AdminResponses responses) {
        this.token = token;
        this.responses = responses;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refusing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()
                && !token(request)) {
            refusing = true;
            ReferenceCountUtil.release(msg);
            String reason = token == null ? "push is disabled: no token file configured" : "missing or wrong bearer token";
            log.warn("push request {} {} from {} refused: {}", request.method(), request.uri(),
                    ctx.channel().remoteAddress(), reason);
            FullHttpResponse response = responses.text(HttpResponseStatus.UNAUTHORIZED, reason + "\n");
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"sluice-push\"");
            AdminResponses.send(ctx, response, false, false);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean token(HttpRequest request) {
        return token != null && token.accepts(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    }
}
