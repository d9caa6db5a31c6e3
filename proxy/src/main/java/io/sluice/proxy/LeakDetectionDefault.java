package io.sluice.proxy;

import io.netty.util.ResourceLeakDetector;
import java.util.Properties;

/**
 * Turns Netty's buffer leak detector off in the proxy process unless the operator chose a level. Netty's default
 * level ({@code simple}) tracks one buffer allocation in 128 and records a stack trace for each tracked one; on
 * small keep-alive requests that was about 3 % of the event loop's time (a profile in docs/benchmarks.md,
 * "Per-request cost"). Leaks are caught by the tests, which run at {@code paranoid}; to look for one in a running
 * proxy start it with {@code -Dio.netty.leakDetection.level=simple} (or {@code advanced}, {@code paranoid}).
 */
final class LeakDetectionDefault {
    static final String LEVEL_PROPERTY = "io.netty.leakDetection.level";
    /** The name Netty read before 4.1; still honoured by it. */
    static final String LEGACY_LEVEL_PROPERTY = "io.netty.leakDetectionLevel";

    private LeakDetectionDefault() {
    }

    /** Applies the default to Netty; returns the level now in force. */
    static ResourceLeakDetector.Level apply(Properties system) {
        if (system.getProperty(LEVEL_PROPERTY) == null && system.getProperty(LEGACY_LEVEL_PROPERTY) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        return ResourceLeakDetector.getLevel();
    }
}
