package io.sluice.proxy.middleware;

import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.Zstd;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response encodings this process can produce: gzip always, {@code br} and {@code zstd} only when their
 * native libraries loaded on this platform. Checked once when built; {@code compress} middlewares drop encodings
 * that are not available instead of failing.
 */
public final class ContentEncodings {
    private static final Logger LOG = LoggerFactory.getLogger(ContentEncodings.class);
    /** Every encoding name {@code compress} accepts, in Traefik's default order of preference. */
    public static final List<String> KNOWN = List.of("zstd", "br", "gzip");

    private final List<String> available;

    ContentEncodings(List<String> available) {
        this.available = List.copyOf(available);
    }

    /** Probes the native libraries of this platform. */
    public static ContentEncodings detect() {
        List<String> found = new ArrayList<>();
        if (Zstd.isAvailable()) {
            found.add("zstd");
        } else {
            LOG.warn("compress: zstd is not available on this platform ({}); using the other encodings",
                    Zstd.cause() == null ? "no native library" : Zstd.cause().toString());
        }
        if (Brotli.isAvailable()) {
            found.add("br");
        } else {
            LOG.warn("compress: br is not available on this platform ({}); using the other encodings",
                    Brotli.cause() == null ? "no native library" : Brotli.cause().toString());
        }
        found.add("gzip");
        return new ContentEncodings(found);
    }

    public List<String> available() {
        return available;
    }

    public boolean isAvailable(String encoding) {
        return available.contains(encoding);
    }
}
