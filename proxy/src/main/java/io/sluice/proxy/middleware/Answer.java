package io.sluice.proxy.middleware;

import java.util.Map;
import java.util.Objects;

/** A response a middleware sends instead of proxying (a redirect, a refusal): status, headers, short text body. */
public record Answer(int status, Map<String, String> headers, String body) {
    public Answer {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }
}
