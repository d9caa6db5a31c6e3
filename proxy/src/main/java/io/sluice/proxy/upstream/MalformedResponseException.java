package io.sluice.proxy.upstream;

/**
 * A backend's response broke HTTP/1.1 syntax or framing. It becomes the failed decoder result of the message the
 * {@link UpstreamResponseDecoder} emits (the proxy answers 502); it carries no stack trace because the message says
 * everything and a misbehaving backend can cause many of them.
 */
final class MalformedResponseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedResponseException(String message) {
        super(message, null, false, false);
    }
}
