package io.sluice.snapshot;

/** Per-service timeouts in milliseconds; a null field keeps the proxy default. */
public record Timeouts(Long connectMillis, Long responseHeaderMillis, Long idleMillis) {
}
