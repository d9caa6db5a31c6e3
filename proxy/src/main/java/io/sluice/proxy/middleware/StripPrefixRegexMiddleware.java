package io.sluice.proxy.middleware;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.sluice.snapshot.RegexTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * Traefik {@code stripPrefixRegex}: the first regex whose first match starts the path and is not empty decides
 * the prefix; it is removed and sent upstream in {@code X-Forwarded-Prefix} (replacing any value the client sent).
 * The remaining path is checked as a new request path; when it is not valid the request gets 400.
 */
public final class StripPrefixRegexMiddleware implements HttpMiddleware {
    private final List<Pattern> patterns;
    private final RewrittenPath rewritten = new RewrittenPath();

    /** @throws IllegalArgumentException when a regex is not valid RE2 syntax */
    public StripPrefixRegexMiddleware(List<String> regexes) {
        if (regexes.isEmpty()) {
            throw new IllegalArgumentException("stripPrefixRegex has no regex");
        }
        List<Pattern> compiled = new ArrayList<>();
        for (String regex : regexes) {
            compiled.add(RegexTemplate.pattern(regex));
        }
        this.patterns = List.copyOf(compiled);
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        String path = request.path();
        for (Pattern pattern : patterns) {
            Matcher m = pattern.matcher(path);
            if (!m.find() || m.start() != 0 || m.end() == 0) {
                continue;
            }
            String rest = rewritten.check(path.substring(m.end()));
            if (rest == null) {
                return RewrittenPath.refused();
            }
            request.headers().set(StripPrefixMiddleware.FORWARDED_PREFIX, path.substring(0, m.end()));
            request.path(rest);
            return null;
        }
        return null;
    }
}
