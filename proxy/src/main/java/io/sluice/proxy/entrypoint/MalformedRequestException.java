package io.sluice.proxy.entrypoint;

/**
 * A client's request broke HTTP/1.1 syntax or framing. It becomes the failed decoder result of the message
 * {@link ClientRequestDecoder} emits ({@link RequestHeadCheck} answers 400 for a head, the exchange handler for a
 * body). No stack trace: the message says everything, and anyone on the internet can cause many of them.
 */
final class MalformedRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedRequestException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
