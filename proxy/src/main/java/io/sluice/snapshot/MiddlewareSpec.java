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
    @JsonSubTypes.Type(value = MiddlewareSpec.Retry.class, name = "retry"),
    @JsonSubTypes.Type(value = MiddlewareSpec.Errors.class, name = "errors"),
    @JsonSubTypes.Type(value = MiddlewareSpec.ForwardAuth.class, name = "forwardAuth")
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
     * Retries a request on another pick of the service when the backend could not be reached, or closed the
     * connection before any response byte while the request can still be replayed (no body).
     *
     * @param attempts              tries in all, the first one included (Traefik's meaning); at least 1
     * @param initialIntervalMillis wait before the first retry, doubled before each next one; 0 retries at once
     */
    record Retry(int attempts, long initialIntervalMillis) implements MiddlewareSpec {
        public Retry {
            if (attempts < 1 || initialIntervalMillis < 0) {
                throw new IllegalArgumentException("retry: attempts >= 1 and initialIntervalMillis >= 0");
            }
        }
    }

    /**
     * Replaces the body of responses whose status is in {@code status} with a page fetched from {@code service},
     * keeping the original status code.
     *
     * @param status  codes ({@code "404"}) or inclusive ranges ({@code "500-599"})
     * @param service id of a snapshot service
     * @param query   path and query of the page; {@code {status}} and {@code {url}} are replaced
     */
    record Errors(List<String> status, String service, String query) implements MiddlewareSpec {
        public Errors {
            status = Lists.copy(status);
            Objects.requireNonNull(service, "service");
            query = query == null || query.isEmpty() ? "/" : query;
        }
    }

    /**
     * Asks an authentication service about each request before proxying it: a 2xx lets it through (with
     * {@code authResponseHeaders} copied onto it), anything else is sent back to the client as is.
     *
     * @param address                  URL of the auth service ({@code http://auth.ns.svc:8080/verify})
     * @param trustForwardHeader       keep the client's {@code X-Forwarded-*} instead of setting our own
     * @param authResponseHeaders      headers copied from the auth response onto the forwarded request
     * @param authResponseHeadersRegex also copy auth response headers whose name matches (RE2 syntax); may be null
     * @param authRequestHeaders       when not empty, only these request headers are sent to the auth service
     * @param addAuthCookiesToResponse cookie names the auth service sets that are added to the final response
     * @param tlsInsecureSkipVerify    for an https address, accept any server certificate
     */
    record ForwardAuth(String address, boolean trustForwardHeader, List<String> authResponseHeaders,
            String authResponseHeadersRegex, List<String> authRequestHeaders, List<String> addAuthCookiesToResponse,
            boolean tlsInsecureSkipVerify) implements MiddlewareSpec {
        public ForwardAuth {
            Objects.requireNonNull(address, "address");
            authResponseHeaders = Lists.copy(authResponseHeaders);
            authRequestHeaders = Lists.copy(authRequestHeaders);
            addAuthCookiesToResponse = Lists.copy(addAuthCookiesToResponse);
        }
    }
}
