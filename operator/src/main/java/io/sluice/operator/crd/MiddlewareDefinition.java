package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Map;

/** The spec of a {@link Middleware}: one optional field per middleware type, exactly one of them set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.addPrefix), has(self.stripPrefix), has(self.replacePath),"
        + " has(self.redirectScheme), has(self.headers), has(self.basicAuth), has(self.ipAllowList),"
        + " has(self.rateLimit), has(self.chain), has(self.stripPrefixRegex), has(self.replacePathRegex),"
        + " has(self.redirectRegex), has(self.contentType), has(self.retry), has(self.errors),"
        + " has(self.forwardAuth), has(self.inFlightReq), has(self.circuitBreaker), has(self.compress),"
        + " has(self.buffering)].filter(x, x).size() == 1",
        message = "exactly one middleware type must be set")
public record MiddlewareDefinition(
        AddPrefix addPrefix,
        StripPrefix stripPrefix,
        ReplacePath replacePath,
        RedirectScheme redirectScheme,
        Headers headers,
        BasicAuth basicAuth,
        IpAllowList ipAllowList,
        RateLimit rateLimit,
        Chain chain,
        StripPrefixRegex stripPrefixRegex,
        ReplacePathRegex replacePathRegex,
        RedirectRegex redirectRegex,
        ContentType contentType,
        Retry retry,
        Errors errors,
        ForwardAuth forwardAuth,
        InFlightReq inFlightReq,
        CircuitBreaker circuitBreaker,
        Compress compress,
        Buffering buffering) {

    /** A duration: a number with {@code ms}, {@code s}, {@code m} or {@code h}, or a number of seconds. */
    static final String DURATION = "^[0-9]+(ms|s|m|h)?$";
    /** No control character (CR, LF, NUL...) in a header value. */
    static final String HEADER_VALUE = "^[^\\x00-\\x08\\x0a-\\x1f\\x7f]*$";
    /** An HTTP token (RFC 9110): a header or method name. */
    static final String TOKEN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

    /** The types that existed before the regex, contentType and extended headers middlewares. */
    public MiddlewareDefinition(AddPrefix addPrefix, StripPrefix stripPrefix, ReplacePath replacePath,
            RedirectScheme redirectScheme, Headers headers, BasicAuth basicAuth, IpAllowList ipAllowList,
            RateLimit rateLimit, Chain chain) {
        this(addPrefix, stripPrefix, replacePath, redirectScheme, headers, basicAuth, ipAllowList, rateLimit, chain,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Prepends a prefix to the path. */
    public record AddPrefix(@Required @Pattern("^/.*") String prefix) {
    }

    /** Removes the first matching prefix from the path. */
    public record StripPrefix(@Required @Size(min = 1) List<@Pattern("^/.*") String> prefixes) {
    }

    /** Replaces the whole path. */
    public record ReplacePath(@Required @Pattern("^/.*") String path) {
    }

    /** Redirects to another scheme; {@code port} null keeps the scheme's default port. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RedirectScheme(@Required @Pattern("^(http|https)$") String scheme,
            @Pattern("^[0-9]{1,5}$") String port, Boolean permanent) {
    }

    /**
     * Traefik's {@code headers}: custom request and response headers (an empty value removes one), CORS (a
     * preflight is answered by the proxy) and security headers. Field names and meanings are Traefik v3's.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!(has(self.accessControlAllowCredentials) && self.accessControlAllowCredentials"
            + " && has(self.accessControlAllowOriginList) && '*' in self.accessControlAllowOriginList)",
            message = "accessControlAllowCredentials cannot be used with \"*\" in accessControlAllowOriginList")
    public record Headers(Map<String, String> customRequestHeaders, Map<String, String> customResponseHeaders,
            List<@Pattern("^(\\*|[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s,]+|null)$") String> accessControlAllowOriginList,
            List<String> accessControlAllowOriginListRegex,
            List<@Pattern(TOKEN) String> accessControlAllowMethods,
            List<@Pattern(TOKEN) String> accessControlAllowHeaders,
            List<@Pattern(TOKEN) String> accessControlExposeHeaders,
            Boolean accessControlAllowCredentials,
            @Min(0) Long accessControlMaxAge,
            Boolean addVaryHeader,
            @Min(0) Long stsSeconds,
            Boolean stsIncludeSubdomains,
            Boolean stsPreload,
            Boolean forceSTSHeader,
            Boolean frameDeny,
            @Pattern(HEADER_VALUE) String customFrameOptionsValue,
            Boolean contentTypeNosniff,
            Boolean browserXssFilter,
            @Pattern(HEADER_VALUE) String customBrowserXSSValue,
            @Pattern(HEADER_VALUE) String contentSecurityPolicy,
            @Pattern(HEADER_VALUE) String contentSecurityPolicyReportOnly,
            @Pattern(HEADER_VALUE) String referrerPolicy,
            @Pattern(HEADER_VALUE) String permissionsPolicy,
            Boolean isDevelopment,
            List<String> allowedHosts,
            List<@Pattern(TOKEN) String> hostsProxyHeaders,
            Map<String, String> sslProxyHeaders) {

        /** Custom headers only. */
        public Headers(Map<String, String> customRequestHeaders, Map<String, String> customResponseHeaders) {
            this(customRequestHeaders, customResponseHeaders, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * Basic authentication; {@code secret} names a Secret in the Middleware's namespace whose {@code users} key
     * holds htpasswd lines.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BasicAuth(@Required @Pattern(Names.DNS_SUBDOMAIN) String secret, String realm,
            Boolean removeHeader, String headerField) {
    }

    /** Admits only clients from the given CIDR ranges or addresses. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IpAllowList(@Required @Size(min = 1) List<String> sourceRange, IpStrategy ipStrategy) {
    }

    /** Which address counts as the client's. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IpStrategy(@Min(0) Integer depth, List<String> excludedIPs) {
    }

    /**
     * Token-bucket rate limit: {@code average} requests per {@code period} ({@code 1s}, {@code 500ms}, {@code 1m},
     * or a number of seconds; default 1s), bursts up to {@code burst} (default 1).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RateLimit(@Required @Min(0) Long average, IntOrString period, @Min(0) Long burst,
            SourceCriterion sourceCriterion) {
    }

    /** What identifies a client for the rate limit; exactly one field set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceCriterion(IpStrategy ipStrategy, String requestHeaderName, Boolean requestHost) {
    }

    /** Runs other middlewares, in order. */
    public record Chain(@Required @Size(min = 1) List<MiddlewareRef> middlewares) {
    }

    /** Removes the path prefix matched by the first of these regexes (RE2 syntax) that matches at the start. */
    public record StripPrefixRegex(@Required @Size(min = 1) List<@Size(min = 1) String> regex) {
    }

    /** Replaces every match of {@code regex} in the path with {@code replacement} ({@code $1}, {@code ${name}}). */
    public record ReplacePathRegex(@Required @Size(min = 1) String regex,
            @Required @Size(min = 1) @Pattern("^[^\\x00-\\x20\\x7f?#]*$") String replacement) {
    }

    /** Redirects requests whose URL matches {@code regex} to the expanded {@code replacement}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RedirectRegex(@Required @Size(min = 1) String regex,
            @Required @Size(min = 1) @Pattern("^[^\\x00-\\x20\\x7f]*$") String replacement, Boolean permanent) {
    }

    /**
     * Traefik's {@code contentType}. Sluice never sniffs response bodies, so only {@code autoDetect: false} (keep
     * the backend's Content-Type; Traefik v2's way to turn detection off) is accepted; {@code contentType: {}} means
     * "detect" in Traefik v3 and is refused.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.autoDetect) && self.autoDetect == false",
            message = "Sluice never sniffs response bodies: only autoDetect: false is supported")
    public record ContentType(Boolean autoDetect) {
    }

    /**
     * Retries a request on another endpoint when the backend cannot be reached (or drops the connection before
     * answering a body-less request): {@code attempts} tries in all, waiting {@code initialInterval} (default
     * 100ms) before the first retry and twice as long before each next one.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retry(@Required @Min(1) @Max(10) Integer attempts, @Pattern(DURATION) String initialInterval) {
    }

    /**
     * Replaces responses whose status is listed ({@code "404"}, {@code "500-599"}) with a page from
     * {@code service}, requested at {@code query} ({@code {status}} and {@code {url}} are filled in), keeping the
     * original status.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Errors(
            @Required @Size(min = 1) List<@Pattern("^[1-5][0-9][0-9](-[1-5][0-9][0-9])?$") String> status,
            @Required ErrorService service,
            @Pattern("^/.*") String query) {
    }

    /** The Service port that serves error pages; {@code namespace} null means the Middleware's. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorService(@Required @Pattern(Names.DNS_SUBDOMAIN) String name,
            @Pattern(Names.DNS_LABEL) String namespace, @Required IntOrString port) {
    }

    /**
     * Asks an authentication service ({@code address}, an http or https URL) about each request; a 2xx lets it
     * through with {@code authResponseHeaders} copied onto it, anything else goes back to the client.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ForwardAuth(
            @Required @Pattern("^https?://[^/?#]+.*$") String address,
            Boolean trustForwardHeader,
            List<String> authResponseHeaders,
            String authResponseHeadersRegex,
            List<String> authRequestHeaders,
            List<String> addAuthCookiesToResponse,
            ForwardAuthTls tls) {
    }

    /** TLS to an https auth address: only skipping verification is supported (the JDK trust store is used). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ForwardAuthTls(Boolean insecureSkipVerify) {
    }

    /**
     * Limits the requests of one source served at once ({@code amount}); more are answered 429. {@code
     * sourceCriterion} as for {@code rateLimit}; the default is the client address.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InFlightReq(@Required @Min(1) Long amount, SourceCriterion sourceCriterion) {
    }

    /**
     * Stops forwarding while {@code expression} holds, for example {@code NetworkErrorRatio() > 0.5}. Durations
     * are like {@code 100ms}, {@code 10s}, {@code 1m} or a number of seconds; defaults 100ms, 10s, 10s. The
     * status answered while open is {@code responseCode} (default 503).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CircuitBreaker(@Required @Size(min = 1) String expression, IntOrString checkPeriod,
            IntOrString fallbackDuration, IntOrString recoveryDuration, @Min(100) @Max(599) Integer responseCode) {
    }

    /**
     * Compresses responses with {@code zstd}, {@code br} or {@code gzip} (in {@code encodings} order of
     * preference); bodies declared smaller than {@code minResponseBodyBytes} (default 1024) are sent as they are.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!(has(self.excludedContentTypes) && has(self.includedContentTypes))",
            message = "set excludedContentTypes or includedContentTypes, not both")
    public record Compress(List<String> excludedContentTypes, List<String> includedContentTypes,
            @Min(0) Long minResponseBodyBytes, List<@Pattern("^(zstd|br|gzip)$") String> encodings,
            @Pattern("^(zstd|br|gzip)$") String defaultEncoding) {
    }

    /**
     * Reads bodies whole before passing them on: a request body over {@code maxRequestBodyBytes} is answered 413,
     * a response body over {@code maxResponseBodyBytes} is replaced by a 500 (0 or unset: no limit). Sluice
     * buffers in memory only; the {@code mem*} fields are accepted and ignored. {@code retryExpression} is not
     * supported and makes the Middleware invalid.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Buffering(@Min(0) Long maxRequestBodyBytes, @Min(0) Long memRequestBodyBytes,
            @Min(0) Long maxResponseBodyBytes, @Min(0) Long memResponseBodyBytes, String retryExpression) {
    }
}
