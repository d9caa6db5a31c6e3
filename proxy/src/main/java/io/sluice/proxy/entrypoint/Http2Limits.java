package io.sluice.proxy.entrypoint;

import java.time.Duration;
import java.util.Objects;

/**
 * What one HTTP/2 client connection may do. Exists so the entrypoint can speak HTTP/2 at all: an entrypoint built
 * without limits stays HTTP/1.1 only.
 *
 * @param maxConcurrentStreams  streams a client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS)
 * @param maxResetsPerWindow    RST_STREAM frames a client may send per {@code resetWindow} before the connection
 *                              is closed with GOAWAY (the "rapid reset" attack, CVE-2023-44487)
 * @param resetWindow           the window {@code maxResetsPerWindow} is counted over
 * @param gracefulClose         how long a GOAWAY'd connection (drain, idle) waits for its open streams
 */
public record Http2Limits(int maxConcurrentStreams, int maxResetsPerWindow, Duration resetWindow,
        Duration gracefulClose) {

    public Http2Limits {
        if (maxConcurrentStreams < 1) {
            throw new IllegalArgumentException("maxConcurrentStreams must be at least 1");
        }
        if (maxResetsPerWindow < 1) {
            throw new IllegalArgumentException("maxResetsPerWindow must be at least 1");
        }
        Objects.requireNonNull(resetWindow, "resetWindow");
        Objects.requireNonNull(gracefulClose, "gracefulClose");
    }

    /** {@code maxConcurrentStreams} streams; 200 resets per 30 s (Netty's default); 30 s to finish on GOAWAY. */
    public static Http2Limits defaults(int maxConcurrentStreams) {
        return new Http2Limits(maxConcurrentStreams, 200, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    public Http2Limits withResets(int perWindow, Duration window) {
        return new Http2Limits(maxConcurrentStreams, perWindow, window, gracefulClose);
    }

    public Http2Limits withGracefulClose(Duration close) {
        return new Http2Limits(maxConcurrentStreams, maxResetsPerWindow, resetWindow, close);
    }
}
