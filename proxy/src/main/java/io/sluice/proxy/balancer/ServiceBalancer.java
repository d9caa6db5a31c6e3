package io.sluice.proxy.balancer;

/**
 * A compiled service as the data path uses it: for each request, the endpoint (and the settings of the load
 * balancer that owns it) to send it to, or null when the service has no usable endpoint (503). Sticky services
 * read the request's cookies.
 */
public interface ServiceBalancer {

    UpstreamTarget pick(RequestCookies cookies);

    /** A pick for a request without cookies. */
    default UpstreamTarget pick() {
        return pick(RequestCookies.NONE);
    }
}
