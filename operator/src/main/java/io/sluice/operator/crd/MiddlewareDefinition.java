package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
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
        + " has(self.rateLimit), has(self.chain)].filter(x, x).size() == 1",
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
        Chain chain) {

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
}
