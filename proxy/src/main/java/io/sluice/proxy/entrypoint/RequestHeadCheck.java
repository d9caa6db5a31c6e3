package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * Decides whether a request head is fit to be routed at all, before anything else looks at it: a head the codec
 * could not parse or cut short (414 for the request line, 431 for the headers, else 400), and the message-framing
 * rules the codec leaves to us (RFC 9112 section 6: one {@code chunked} transfer coding and none in HTTP/1.0, one
 * {@code Host}), plus the entrypoint's limit on the number of header fields (431). A pure function of the head.
 */
final class RequestHeadCheck {
    /** Why a head is refused: the status to answer with and the text of the body. */
    record Refusal(int status, String text) {
    }

    private final int maxHeaderCount;

    RequestHeadCheck(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    /** @return null when the head may go on to routing */
    Refusal refusalFor(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            int code = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException ? 431 : 400;
            return new Refusal(code, "malformed request");
        }
        if (request.headers().size() > maxHeaderCount) {
            return new Refusal(431, "too many headers");
        }
        List<String> encodings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!encodings.isEmpty()) {
            if (encodings.size() > 1 || !encodings.get(0).trim().equalsIgnoreCase("chunked")) {
                return new Refusal(400, "unsupported transfer-encoding");
            }
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                return new Refusal(400, "transfer-encoding in HTTP/1.0");
            }
        }
        if (request.headers().contains(HttpHeaderNames.HOST)
                && request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
            return new Refusal(400, "duplicate host");
        }
        return null;
    }
}
