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
        + " has(self.rateLimit), has(self.chain), has(self.inFlightReq), has(self.circuitBreaker),"
        + " has(self.compress), has(self.buffering)].filter(x, x).size() == 1",
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
        InFlightReq inFlightReq,
        CircuitBreaker circuitBreaker,
        Compress compress,
        Buffering buffering) {

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

    /** Sets (or with an empty value removes) request and response headers. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Headers(Map<String, String> customRequestHeaders, Map<String, String> customResponseHeaders) {
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
