package io.sluice.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Builds and sends the small complete responses of the control-side listeners (JSON or text), honouring
 * keep-alive and HEAD. One place, so every admin response has a length, a type and the same closing rules.
 */
final class AdminResponses {
    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    private final ObjectMapper mapper = JsonMapper.builder().build();

    FullHttpResponse json(HttpResponseStatus status, Object body) {
        try {
            return response(status, JSON, mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write admin response", e);
        }
    }

    FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, body.length);
        return response;
    }

    /**
     * Sends {@code response}; drops the body for HEAD (keeping its length), closes after it when the client
     * asked or {@code keepAlive} is false. Safe to call from any thread.
     */
    static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean head) {
        if (head) {
            response.content().clear();
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
