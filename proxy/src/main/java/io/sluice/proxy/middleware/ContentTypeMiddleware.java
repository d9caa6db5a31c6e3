package io.sluice.proxy.middleware;

/**
 * Traefik {@code contentType} with {@code autoDetect: false}: the proxy never sniffs a response body and never adds
 * a Content-Type the backend did not send, which is exactly what that setting asks for; so this middleware changes
 * nothing, and exists so that such a Middleware is accepted and the guarantee is stated in one place. Content
 * sniffing ({@code autoDetect: true}) is refused when the middleware is built: guessing a type from bytes is how
 * uploads turn into scripts (MIME confusion), and it would need the body, which head-only middlewares never see.
 */
public final class ContentTypeMiddleware implements HttpMiddleware {

    /** @throws IllegalArgumentException when content sniffing is asked for */
    public ContentTypeMiddleware(boolean autoDetect) {
        if (autoDetect) {
            throw new IllegalArgumentException("contentType autoDetect is not supported: the proxy never sniffs "
                    + "response bodies; set autoDetect: false or have the backend send Content-Type");
        }
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        return null;
    }
}
