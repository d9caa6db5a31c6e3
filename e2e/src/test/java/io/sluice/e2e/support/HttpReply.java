package io.sluice.e2e.support;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP answer as a client saw it, with accessors for what the tests care about: which backend answered
 * ({@code X-Backend}, set by {@link EchoBackends}) and what that backend received (echoed in the body).
 *
 * @param status  the status code, or 0 when no answer came (see {@code error})
 * @param headers response header names lower-cased
 */
public record HttpReply(int status, Map<String, List<String>> headers, String body, String error) {
    public HttpReply {
        headers = Map.copyOf(headers);
    }

    static HttpReply failed(String error) {
        return new HttpReply(0, Map.of(), "", error);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** {@code "200 api"}: status and answering backend ({@code -} when no backend answered), for compact asserts. */
    public String summary() {
        return status == 0 ? "error " + error : status + " " + header("X-Backend").orElse("-");
    }

    /** The request path (with query) the backend received, from the echo body's first line. */
    public String backendPath() {
        String first = body.lines().findFirst().orElse("");
        String[] parts = first.split(" ");
        return parts.length >= 3 ? parts[2] : "";
    }

    /** A request header the backend received, from the echo body ({@code > name: value} lines). */
    public Optional<String> backendSawHeader(String name) {
        String prefix = "> " + name.toLowerCase(Locale.ROOT) + ": ";
        return body.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
                .map(l -> l.substring(prefix.length())).findFirst();
    }
}
