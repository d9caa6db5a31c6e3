package io.sluice.proxy.entrypoint;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Answers the proxy itself gives (no route, no endpoint, upstream failure, a middleware's refusal) in the form a
 * gRPC client understands: HTTP 200, {@code content-type: application/grpc}, and the code in {@code grpc-status}
 * of a "trailers-only" response, one HEADERS frame that ends the stream. The code follows gRPC's HTTP-to-gRPC
 * status mapping ({@code doc/http-grpc-status-mapping.md} in grpc/grpc), with 504 as DEADLINE_EXCEEDED.
 */
final class GrpcErrors {
    static final String STATUS = "grpc-status";
    static final String MESSAGE = "grpc-message";

    private GrpcErrors() {
    }

    static boolean isGrpc(HttpHeaders request) {
        String type = request.get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.startsWith("application/grpc");
    }

    /** The gRPC status code for an HTTP status the proxy answered with. */
    static int statusFor(int httpStatus) {
        switch (httpStatus) {
            case 400:
                return 13; // INTERNAL
            case 401:
                return 16; // UNAUTHENTICATED
            case 403:
                return 7; // PERMISSION_DENIED
            case 404:
                return 12; // UNIMPLEMENTED
            case 504:
                return 4; // DEADLINE_EXCEEDED
            case 429:
            case 502:
            case 503:
                return 14; // UNAVAILABLE
            default:
                return 2; // UNKNOWN
        }
    }

    /** A trailers-only response carrying {@code httpStatus} as its gRPC code and {@code text} as its message. */
    static FullHttpResponse trailersOnly(int httpStatus, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
        response.headers().set(STATUS, Integer.toString(statusFor(httpStatus)));
        // grpc-message is percent-encoded (gRPC over HTTP/2 spec); spaces as %20, not '+'
        response.headers().set(MESSAGE, URLEncoder.encode(text.strip(), StandardCharsets.UTF_8).replace("+", "%20"));
        return response;
    }
}
