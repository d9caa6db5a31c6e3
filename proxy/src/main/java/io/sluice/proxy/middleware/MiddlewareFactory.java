package io.sluice.proxy.middleware;

import io.sluice.proxy.balancer.ServiceBalancer;
import io.sluice.proxy.side.SideRequestClient;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/**
 * Builds the one middleware class for each spec. Specs the proxy cannot enforce are refused with a problem, so a
 * snapshot using them is rejected instead of served with a security control silently missing.
 */
public final class MiddlewareFactory {
    private final LongSupplier nanoClock;
    private final int maxRateLimitSources;
    private final SideRequestClient sideRequests;
    private final ContentEncodings encodings = ContentEncodings.detect();

    public MiddlewareFactory() {
        this(System::nanoTime, RateLimitMiddleware.DEFAULT_MAX_SOURCES);
    }

    /**
     * @param nanoClock           monotonic nanoseconds for rate limits ({@code System::nanoTime} outside tests)
     * @param maxRateLimitSources how many sources one rate limit tracks before evicting
     */
    public MiddlewareFactory(LongSupplier nanoClock, int maxRateLimitSources) {
        this(nanoClock, maxRateLimitSources, new SideRequestClient());
    }

    /** @param sideRequests sends the extra requests of {@code forwardAuth} and {@code errors} */
    public MiddlewareFactory(LongSupplier nanoClock, int maxRateLimitSources, SideRequestClient sideRequests) {
        this.nanoClock = nanoClock;
        this.maxRateLimitSources = maxRateLimitSources;
        this.sideRequests = sideRequests;
        LoggerFactory.getLogger(MiddlewareFactory.class).info("compress encodings available: {}",
                encodings.available());
    }

    /** The response encodings {@code compress} can use on this platform. */
    public ContentEncodings contentEncodings() {
        return encodings;
    }

    /**
     * @param resolve builds a middleware by id (for {@code chain}); throws {@link IllegalArgumentException}
     *                naming the problem when it cannot
     * @throws IllegalArgumentException naming the problem
     */
    public HttpMiddleware create(MiddlewareSpec spec, Function<String, HttpMiddleware> resolve) {
        return create(spec, resolve, id -> {
            throw new IllegalArgumentException("service " + id + " cannot be resolved here");
        });
    }

    /**
     * @param services builds a service by snapshot id (for {@code errors}); throws
     *                 {@link IllegalArgumentException} naming the problem when it cannot
     */
    public HttpMiddleware create(MiddlewareSpec spec, Function<String, HttpMiddleware> resolve,
            Function<String, ServiceBalancer> services) {
        if (spec instanceof MiddlewareSpec.AddPrefix) {
            return new AddPrefixMiddleware(((MiddlewareSpec.AddPrefix) spec).prefix());
        }
        if (spec instanceof MiddlewareSpec.StripPrefix) {
            return new StripPrefixMiddleware(((MiddlewareSpec.StripPrefix) spec).prefixes());
        }
        if (spec instanceof MiddlewareSpec.ReplacePath) {
            return new ReplacePathMiddleware(((MiddlewareSpec.ReplacePath) spec).path());
        }
        if (spec instanceof MiddlewareSpec.RedirectScheme) {
            MiddlewareSpec.RedirectScheme r = (MiddlewareSpec.RedirectScheme) spec;
            return new RedirectSchemeMiddleware(r.scheme(), r.port(), r.permanent());
        }
        if (spec instanceof MiddlewareSpec.Headers) {
            return new HeadersMiddleware((MiddlewareSpec.Headers) spec);
        }
        if (spec instanceof MiddlewareSpec.BasicAuth) {
            MiddlewareSpec.BasicAuth b = (MiddlewareSpec.BasicAuth) spec;
            return new BasicAuthMiddleware(b.users(), b.realm(), b.removeHeader(), b.headerField());
        }
        if (spec instanceof MiddlewareSpec.IpAllowList) {
            MiddlewareSpec.IpAllowList a = (MiddlewareSpec.IpAllowList) spec;
            return IpAllowListMiddleware.of(a.sourceRange(), ClientAddressStrategy.of(a.ipStrategy()));
        }
        if (spec instanceof MiddlewareSpec.RateLimit) {
            return RateLimitMiddleware.of((MiddlewareSpec.RateLimit) spec, nanoClock, maxRateLimitSources);
        }
        if (spec instanceof MiddlewareSpec.Chain) {
            List<HttpMiddleware> steps = new ArrayList<>();
            for (String id : ((MiddlewareSpec.Chain) spec).middlewares()) {
                steps.add(resolve.apply(id));
            }
            return new ChainMiddleware(steps);
        }
        if (spec instanceof MiddlewareSpec.StripPrefixRegex) {
            return new StripPrefixRegexMiddleware(((MiddlewareSpec.StripPrefixRegex) spec).regex());
        }
        if (spec instanceof MiddlewareSpec.ReplacePathRegex) {
            MiddlewareSpec.ReplacePathRegex r = (MiddlewareSpec.ReplacePathRegex) spec;
            return new ReplacePathRegexMiddleware(r.regex(), r.replacement());
        }
        if (spec instanceof MiddlewareSpec.RedirectRegex) {
            MiddlewareSpec.RedirectRegex r = (MiddlewareSpec.RedirectRegex) spec;
            return new RedirectRegexMiddleware(r.regex(), r.replacement(), r.permanent());
        }
        if (spec instanceof MiddlewareSpec.ContentType) {
            return new ContentTypeMiddleware(((MiddlewareSpec.ContentType) spec).autoDetect());
        }
        if (spec instanceof MiddlewareSpec.Retry) {
            MiddlewareSpec.Retry r = (MiddlewareSpec.Retry) spec;
            return new RetryMiddleware(r.attempts(), r.initialIntervalMillis());
        }
        if (spec instanceof MiddlewareSpec.Errors) {
            MiddlewareSpec.Errors e = (MiddlewareSpec.Errors) spec;
            return new ErrorsMiddleware(e.status(), services.apply(e.service()), e.query(), sideRequests);
        }
        if (spec instanceof MiddlewareSpec.ForwardAuth) {
            MiddlewareSpec.ForwardAuth f = (MiddlewareSpec.ForwardAuth) spec;
            return new ForwardAuthMiddleware(sideRequests, f.address(), f.trustForwardHeader(),
                    f.authResponseHeaders(), f.authResponseHeadersRegex(), f.authRequestHeaders(),
                    f.addAuthCookiesToResponse(), f.tlsInsecureSkipVerify());
        }
        if (spec instanceof MiddlewareSpec.InFlightReq) {
            return InFlightReqMiddleware.of((MiddlewareSpec.InFlightReq) spec);
        }
        if (spec instanceof MiddlewareSpec.CircuitBreaker) {
            return CircuitBreakerMiddleware.of((MiddlewareSpec.CircuitBreaker) spec, nanoClock);
        }
        if (spec instanceof MiddlewareSpec.Compress) {
            return CompressMiddleware.of((MiddlewareSpec.Compress) spec, encodings);
        }
        if (spec instanceof MiddlewareSpec.Buffering) {
            return BufferingMiddleware.of((MiddlewareSpec.Buffering) spec);
        }
        throw new IllegalArgumentException(spec.getClass().getSimpleName() + " is not supported yet");
    }
}
