package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.http.HttpRequest;

/**
 * A client's request broke HTTP/1.1 syntax or framing. It becomes the failed decoder result of the message
 * {@link ClientRequestDecoder} emits ({@link RequestHeadCheck} answers 400 for a head, the exchange handler for a
 * body). No stack trace: the message says everything, and anyone on the internet can cause many of them.
 */
final class MalformedRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** The request line, when it was valid and the fields were not: the failed head keeps it, as Netty's did. */
    private final transient HttpRequest requestLine;

    MalformedRequestException(String message) {
        this(message, null);
    }

    MalformedRequestException(String message, HttpRequest requestLine) {
        super(message);
        this.requestLine = requestLine;
    }

    /** @return the valid request line of the malformed head (no fields), or null */
    HttpRequest requestLine() {
        return requestLine;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
