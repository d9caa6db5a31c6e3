package io.sluice.proxy.middleware;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A complete response an asynchronous middleware sends instead of proxying, when a plain {@link Answer} is not
 * enough: headers may repeat ({@code Set-Cookie}) and the body is bytes (what an authentication service said).
 *
 * @param headers in order; a name may repeat
 * @param body    owned by this reply; not modified
 */
public record Reply(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    public Reply {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** The same response the data path sends for a synchronous answer: text body, its headers on top. */
    public static Reply of(Answer answer) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry(HttpHeaderNames.CONTENT_TYPE.toString(), "text/plain; charset=utf-8"));
        headers.addAll(answer.headers().entrySet());
        return new Reply(answer.status(), headers, (answer.body() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A new Netty response (the caller writes it, which releases it); Content-Length is set from the body. */
    public FullHttpResponse toHttpResponse() {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(HttpHeaderNames.CONTENT_TYPE.toString())) {
                response.headers().set(h.getKey(), h.getValue());
            } else {
                response.headers().add(h.getKey(), h.getValue());
            }
        }
        HttpUtil.setContentLength(response, body.length);
        return response;
    }
}
