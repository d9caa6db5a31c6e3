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
    @JsonSubTypes.Type(value = MiddlewareSpec.StripPrefixRegex.class, name = "stripPrefixRegex"),
    @JsonSubTypes.Type(value = MiddlewareSpec.ReplacePathRegex.class, name = "replacePathRegex"),
    @JsonSubTypes.Type(value = MiddlewareSpec.RedirectRegex.class, name = "redirectRegex"),
    @JsonSubTypes.Type(value = MiddlewareSpec.ContentType.class, name = "contentType"),
    @JsonSubTypes.Type(value = MiddlewareSpec.Retry.class, name = "retry"),
    @JsonSubTypes.Type(value = MiddlewareSpec.Errors.class, name = "errors"),
    @JsonSubTypes.Type(value = MiddlewareSpec.ForwardAuth.class, name = "forwardAuth"),
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

    /**
     * Adds, replaces or (with an empty value) removes request and response headers; optionally answers CORS
     * and adds security headers.
     *
     * @param cors     null when no CORS header is configured
     * @param security null when no security header or host check is configured
     */
    record Headers(Map<String, String> customRequestHeaders, Map<String, String> customResponseHeaders, Cors cors,
            SecurityHeaders security) implements MiddlewareSpec {
        public Headers {
            customRequestHeaders = Lists.copy(customRequestHeaders);
            customResponseHeaders = Lists.copy(customResponseHeaders);
        }

        /** Custom headers only, as before CORS and security headers existed. */
        public Headers(Map<String, String> customRequestHeaders, Map<String, String> customResponseHeaders) {
            this(customRequestHeaders, customResponseHeaders, null, null);
        }
    }

    /**
     * Traefik's {@code accessControl*} and {@code addVaryHeader} fields of {@code headers}.
     *
     * @param accessControlAllowOriginListRegex matched against the whole Origin (anchored at both ends)
     * @param accessControlMaxAge               seconds a browser may cache a preflight answer; 0 sends no header
     */
    record Cors(List<String> accessControlAllowOriginList, List<String> accessControlAllowOriginListRegex,
            List<String> accessControlAllowMethods, List<String> accessControlAllowHeaders,
            List<String> accessControlExposeHeaders, boolean accessControlAllowCredentials, long accessControlMaxAge,
            boolean addVaryHeader) {
        public Cors {
            accessControlAllowOriginList = Lists.copy(accessControlAllowOriginList);
            accessControlAllowOriginListRegex = Lists.copy(accessControlAllowOriginListRegex);
            accessControlAllowMethods = Lists.copy(accessControlAllowMethods);
            accessControlAllowHeaders = Lists.copy(accessControlAllowHeaders);
            accessControlExposeHeaders = Lists.copy(accessControlExposeHeaders);
        }
    }

    /**
     * Traefik's security fields of {@code headers}. Null strings send no header.
     *
     * @param hostsProxyHeaders headers (such as {@code X-Forwarded-Host}) that name the host for
     *                          {@code allowedHosts}; believed only from a trusted proxy
     * @param sslProxyHeaders   header/value pairs that mark a request as HTTPS for {@code Strict-Transport-Security};
     *                          believed only from a trusted proxy
     */
    record SecurityHeaders(long stsSeconds, boolean stsIncludeSubdomains, boolean stsPreload,
            boolean forceSTSHeader, boolean frameDeny, String customFrameOptionsValue, boolean contentTypeNosniff,
            boolean browserXssFilter, String customBrowserXSSValue, String contentSecurityPolicy,
            String contentSecurityPolicyReportOnly, String referrerPolicy, String permissionsPolicy,
            boolean isDevelopment, List<String> allowedHosts, List<String> hostsProxyHeaders,
            Map<String, String> sslProxyHeaders) {
        public SecurityHeaders {
            allowedHosts = Lists.copy(allowedHosts);
            hostsProxyHeaders = Lists.copy(hostsProxyHeaders);
            sslProxyHeaders = Lists.copy(sslProxyHeaders);
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
     * Removes the part of the path matched by the first regex (RE2 syntax) whose match starts the path, and sends
     * it in {@code X-Forwarded-Prefix}.
     */
    record StripPrefixRegex(List<String> regex) implements MiddlewareSpec {
        public StripPrefixRegex {
            regex = Lists.copy(regex);
        }
    }

    /**
     * Replaces every match of {@code regex} (RE2 syntax) in the path with {@code replacement} ({@code $1},
     * {@code ${name}} expand groups), keeping the original path in {@code X-Replaced-Path}.
     */
    record ReplacePathRegex(String regex, String replacement) implements MiddlewareSpec {
        public ReplacePathRegex {
            Objects.requireNonNull(regex, "regex");
            Objects.requireNonNull(replacement, "replacement");
        }
    }

    /**
     * Redirects requests whose URL ({@code scheme://host/path?query}) matches {@code regex} to the URL built from
     * {@code replacement}.
     */
    record RedirectRegex(String regex, String replacement, boolean permanent) implements MiddlewareSpec {
        public RedirectRegex {
            Objects.requireNonNull(regex, "regex");
            Objects.requireNonNull(replacement, "replacement");
        }
    }

    /**
     * Traefik {@code contentType}. The proxy never sniffs response bodies, so only {@code autoDetect=false} (keep
     * the backend's Content-Type, add none) can be served.
     */
    record ContentType(boolean autoDetect) implements MiddlewareSpec {
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
