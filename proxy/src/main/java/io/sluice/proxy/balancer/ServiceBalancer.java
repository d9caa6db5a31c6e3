package io.sluice.proxy.balancer;

/**
 * A compiled service as the data path uses it: for each request, the endpoint (and the settings of the load
 * balancer that owns it) to send it to, or null when the service has no usable endpoint (503).
 */
public interface ServiceBalancer {

    UpstreamTarget pick();
}
