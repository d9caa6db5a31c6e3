package io.sluice.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the proxy talks to a service's endpoints. */
public enum Scheme {
    @JsonProperty("http") HTTP,
    @JsonProperty("https") HTTPS,
    /** HTTP/2 over cleartext, prior knowledge (gRPC backends). */
    @JsonProperty("h2c") H2C
}
