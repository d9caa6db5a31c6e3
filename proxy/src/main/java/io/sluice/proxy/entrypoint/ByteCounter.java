package io.sluice.proxy.entrypoint;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The bytes clients send and receive on an entrypoint, at the socket (TLS records, headers and framing
 * included): {@code sluice_bytes_in_total} and {@code sluice_bytes_out_total}. One per entrypoint, shared by its
 * connections; {@link ClientTrafficWatch} reports each read and write to it.
 */
final class ByteCounter {
    private final Counter in;
    private final Counter out;

    ByteCounter(MeterRegistry registry, String entrypoint) {
        this.in = Counter.builder("sluice.bytes.in").baseUnit("bytes").description("Bytes received from clients")
                .tag("entrypoint", entrypoint).register(registry);
        this.out = Counter.builder("sluice.bytes.out").baseUnit("bytes").description("Bytes sent to clients")
                .tag("entrypoint", entrypoint).register(registry);
    }

    void received(int bytes) {
        in.increment(bytes);
    }

    void sent(int bytes) {
        out.increment(bytes);
    }
}
