package io.sluice.proxy.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.proxy.apply.ApplyResult;
import io.sluice.proxy.apply.SnapshotApplier;
import io.sluice.snapshot.SnapshotVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push API, after authentication and body aggregation: {@code PUT /snapshot} hands the body to the
 * {@link SnapshotApplier} (whose own thread does the work) and answers when it is done; {@code GET
 * /snapshot/version} says what is serving. The event loop only copies the body and writes the answer.
 */
final class PushRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(PushRequestHandler.class);
    static final String SNAPSHOT = "/snapshot";
    static final String VERSION = "/snapshot/version";

    private final SnapshotApplier<?> applier;
    private final AdminResponses responses;

    PushRequestHandler(SnapshotApplier<?> applier, AdminResponses responses) {
        this.applier = applier;
        this.responses = responses;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            AdminResponses.send(ctx, responses.text(HttpResponseStatus.BAD_REQUEST, "malformed request\n"),
                    false, false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        if (SNAPSHOT.equals(path)) {
            if (HttpMethod.PUT.equals(method)) {
                byte[] body = ByteBufUtil.getBytes(request.content());
                applier.apply(body).whenComplete((result, error) ->
                        AdminResponses.send(ctx, applyResponse(result, error), keepAlive, false));
            } else {
                AdminResponses.send(ctx, notAllowed("PUT"), keepAlive, false);
            }
        } else if (VERSION.equals(path)) {
            boolean head = HttpMethod.HEAD.equals(method);
            if (HttpMethod.GET.equals(method) || head) {
                AdminResponses.send(ctx, versionResponse(applier.servingVersion()), keepAlive, head);
            } else {
                AdminResponses.send(ctx, notAllowed("GET, HEAD"), keepAlive, false);
            }
        } else {
            AdminResponses.send(ctx, responses.json(HttpResponseStatus.NOT_FOUND,
                    Map.of("errors", List.of("no such resource: " + path))), keepAlive, false);
        }
    }

    private FullHttpResponse applyResponse(ApplyResult result, Throwable error) {
        if (error != null) {
            log.error("snapshot apply failed unexpectedly", error);
            return responses.json(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    Map.of("errors", List.of("the proxy could not apply the snapshot: " + error.getClass().getSimpleName())));
        }
        switch (result.outcome()) {
            case APPLIED:
            case UNCHANGED:
                return responses.json(HttpResponseStatus.OK, Map.of("version", result.serving().toString()));
            case STALE:
                return responses.json(HttpResponseStatus.CONFLICT, Map.of("errors", result.problems()));
            default:
                return responses.json(HttpResponseStatus.UNPROCESSABLE_ENTITY, Map.of("errors", result.problems()));
        }
    }

    private FullHttpResponse versionResponse(Optional<SnapshotVersion> serving) {
        if (serving.isEmpty()) {
            return responses.json(HttpResponseStatus.NOT_FOUND, Map.of("errors", List.of("no snapshot applied yet")));
        }
        return responses.json(HttpResponseStatus.OK, Map.of("version", serving.get().toString()));
    }

    private FullHttpResponse notAllowed(String allow) {
        FullHttpResponse response = responses.json(HttpResponseStatus.METHOD_NOT_ALLOWED,
                Map.of("errors", List.of("method not allowed; use " + allow)));
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("push connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
