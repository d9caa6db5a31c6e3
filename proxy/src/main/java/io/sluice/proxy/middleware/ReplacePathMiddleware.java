package io.sluice.proxy.middleware;

/** Traefik {@code replacePath}: replaces the whole path; the original goes upstream in {@code X-Replaced-Path}. */
public final class ReplacePathMiddleware implements HttpMiddleware {
    static final String REPLACED_PATH = "X-Replaced-Path";
    private final String path;

    public ReplacePathMiddleware(String path) {
        this.path = path;
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        request.headers().set(REPLACED_PATH, request.path());
        request.path(path);
        return null;
    }
}
