package io.sluice.snapshot;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Typed middleware specs. Field names follow Traefik's so that a Traefik {@code Middleware} translates field for
 * field. Each spec is built into one final middleware class by the proxy's middleware factory.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MiddlewareSpec.AddPrefix.class, name = "addPrefix"),
    @JsonSubTypes.Type(value = MiddlewareSpec.StripPrefix.class, name = "stripPrefix"),
    @JsonSubTypes.Type(value = MiddlewareSpec.ReplacePath.class, name = "replacePath"),
    @JsonSubTypes.Type(value = MiddlewareSpec.RedirectScheme.class, name = "redirectScheme"),
    @JsonSubTypes.Type(value = MiddlewareSpec.Headers.class, name = "headers"),
    @JsonSubTypes.Type(value = MiddlewareSpec.BasicAuth.class, name = "basicAuth"),
    @JsonSubTypes.Type(value = MiddlewareSpec.IpAllowList.class, name = "ipAllowList"),
    @JsonSubTypes.Type(value = MiddlewareSpec.RateLimit.class, name = "rateLimit"),
    @JsonSubTypes.Type(value = MiddlewareSpec.Chain.class, name = "chain"),
    @JsonSubTypes.Type(value = MiddlewareSpec.InFlightReq.class, name = "inFlightReq"),
    @JsonSubTypes.Type(value = MiddlewareSpec.CircuitBreaker.class, name = "circuitBreaker"),
    @JsonSubTypes.Type(value = MiddlewareSpec.Compress.class, name = "compress"),
    @JsonSubTypes.Type(value = MiddlewareSpec.Buffering.class, name = "buffering")
})
public sealed interface MiddlewareSpec {

    /** Prepends {@code prefix} to the request path. */
    record AddPrefix(String prefix) implements MiddlewareSpec {
        public AddPrefix {
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /** Removes the first matching prefix from the path and sends it in {@code X-Forwarded-Prefix}. */
    record StripPrefix(List<String> prefixes) implements MiddlewareSpec {
        public StripPrefix {
            prefixes = Lists.copy(prefixes);
        }
    }

    /** Replaces the whole path, keeping the original in {@code X-Replaced-Path}. */
    record ReplacePath(String path) implements MiddlewareSpec {
        public ReplacePath {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * Redirects to another scheme.
     *
     * @param port null keeps the default port of the scheme
     */
    record RedirectScheme(String scheme, String port, boolean permanent) implements MiddlewareSpec {
        public RedirectScheme {
            Objects.requireNonNull(scheme, "scheme");
        }
    }

    /** Adds, replaces or (with an empty value) removes request and response headers. */
    record Headers(Map<String, String> customRequestHeaders, Map<String, String> customResponseHeaders)
            implements MiddlewareSpec {
        public Headers {
            customRequestHeaders = Lists.copy(customRequestHeaders);
            customResponseHeaders = Lists.copy(customResponseHeaders);
        }
    }

    /**
     * HTTP basic authentication against htpasswd lines. {@link #toString()} never shows the hashes.
     *
     * @param headerField when set, the authenticated user name is sent upstream in this header
     */
    record BasicAuth(List<String> users, String realm, boolean removeHeader, String headerField)
            implements MiddlewareSpec {
        public BasicAuth {
            users = Lists.copy(users);
        }

        @Override
        public String toString() {
            return "BasicAuth[users=<" + users.size() + " redacted>, realm=" + realm + ", removeHeader="
                    + removeHeader + ", headerField=" + headerField + "]";
        }
    }

    /**
     * Admits only clients whose address is in {@code sourceRange}.
     *
     * @param ipStrategy null uses the peer address
     */
    record IpAllowList(List<String> sourceRange, IpStrategy ipStrategy) implements MiddlewareSpec {
        public IpAllowList {
            sourceRange = Lists.copy(sourceRange);
        }
    }

    /**
     * Which address counts as the client's: with {@code depth > 0}, the depth-th address from the right of
     * {@code X-Forwarded-For}; otherwise the rightmost address not in {@code excludedIPs}.
     */
    record IpStrategy(int depth, List<String> excludedIPs) {
        public IpStrategy {
            excludedIPs = Lists.copy(excludedIPs);
        }
    }

    /**
     * Token-bucket rate limit: {@code average} requests per {@code periodMillis}, bursts up to {@code burst}.
     *
     * @param sourceCriterion what identifies a client; null means the peer address
     */
    record RateLimit(long average, long periodMillis, long burst, SourceCriterion sourceCriterion)
            implements MiddlewareSpec {
    }

    /** Exactly one of the fields is set. */
    record SourceCriterion(IpStrategy ipStrategy, String requestHeaderName, boolean requestHost) {
    }

    /** Runs other middlewares, in order. */
    record Chain(List<String> middlewares) implements MiddlewareSpec {
        public Chain {
            middlewares = Lists.copy(middlewares);
        }
    }

    /**
     * Limits the requests of one source that are being served at once; more are answered 429.
     *
     * @param amount          simultaneous requests per source, at least 1
     * @param sourceCriterion what identifies a source; null means the peer address
     */
    record InFlightReq(long amount, SourceCriterion sourceCriterion) implements MiddlewareSpec {
    }

    /**
     * Stops sending requests to a service while {@code expression} holds over the last {@code checkPeriod}, as
     * Traefik does: open (answer {@code responseCode}) for the fallback duration, then let a growing share of
     * requests through for the recovery duration, then closed again.
     *
     * @param expression   for example {@code NetworkErrorRatio() > 0.5 || LatencyAtQuantileMS(50.0) > 100};
     *                     see {@link CircuitBreakerExpression}
     * @param responseCode the status answered while open
     */
    record CircuitBreaker(String expression, long checkPeriodMillis, long fallbackDurationMillis,
            long recoveryDurationMillis, int responseCode) implements MiddlewareSpec {
        public CircuitBreaker {
            Objects.requireNonNull(expression, "expression");
        }
    }

    /**
     * Compresses response bodies with the best encoding the client accepts.
     *
     * @param encodings       supported encodings in order of preference ({@code zstd}, {@code br}, {@code gzip})
     * @param defaultEncoding used when the request has no {@code Accept-Encoding} or only {@code *}; null or
     *                        empty sends such responses unencoded
     */
    record Compress(List<String> excludedContentTypes, List<String> includedContentTypes,
            long minResponseBodyBytes, List<String> encodings, String defaultEncoding) implements MiddlewareSpec {
        public Compress {
            excludedContentTypes = Lists.copy(excludedContentTypes);
            includedContentTypes = Lists.copy(includedContentTypes);
            encodings = Lists.copy(encodings);
        }
    }

    /**
     * Reads whole bodies before passing them on, refusing those over the limits (0 means no limit). Sluice keeps
     * buffered bodies in memory: the {@code mem*} sizes are accepted for compatibility and do not spill to disk.
     */
    record Buffering(long maxRequestBodyBytes, long memRequestBodyBytes, long maxResponseBodyBytes,
            long memResponseBodyBytes) implements MiddlewareSpec {
    }
}
