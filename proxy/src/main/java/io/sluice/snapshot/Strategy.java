package io.sluice.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Load-balancing strategy of a {@link Service.LoadBalancer}. */
public enum Strategy {
    /** Smooth weighted round robin (the default). */
    @JsonProperty("wrr") WRR,
    /** Power of two random choices, least outstanding requests. */
    @JsonProperty("p2c") P2C
}
