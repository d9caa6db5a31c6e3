package io.sluice.proxy.middleware;

import io.sluice.snapshot.RegexTemplate;

/**
 * Traefik {@code replacePathRegex}: when the regex matches the path, every match is replaced by the expanded
 * replacement and the original path goes upstream in {@code X-Replaced-Path}. The new path is checked as a new
 * request path; when it is not valid the request gets 400 instead of reaching the backend.
 */
public final class ReplacePathRegexMiddleware implements HttpMiddleware {
    private final RegexTemplate template;
    private final RewrittenPath rewritten = new RewrittenPath();

    /** @throws IllegalArgumentException when the regex or the replacement is not valid */
    public ReplacePathRegexMiddleware(String regex, String replacement) {
        this.template = RegexTemplate.compile(regex, replacement);
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        String original = request.path();
        if (!template.find(original)) {
            return null;
        }
        String path = rewritten.check(template.replaceAll(original));
        if (path == null) {
            return RewrittenPath.refused();
        }
        request.headers().set(ReplacePathMiddleware.REPLACED_PATH, original);
        request.path(path);
        return null;
    }
}
