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
    @JsonSubTypes.Type(value = MiddlewareSpec.Chain.class, name = "chain")
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
}
