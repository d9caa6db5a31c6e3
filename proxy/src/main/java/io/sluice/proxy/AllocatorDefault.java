package io.sluice.proxy;

import java.util.Properties;

/**
 * Makes Netty's pooled buffer allocator the proxy's default unless the operator chose one
 * ({@code -Dio.netty.allocator.type=adaptive|pooled|unpooled}). Netty 4.2 defaults to its adaptive allocator; on
 * small keep-alive requests, where every request allocates and frees a few short-lived buffers on one event loop,
 * the pooled allocator's thread-local caches measured 2-6 % less event-loop CPU per request and 200 fewer bytes
 * allocated per request in paired runs (the adaptive allocator hands every freed segment back through a
 * multi-producer queue); one proxy at a time on its own core, the difference was within the machine's noise
 * (docs/benchmarks.md, "Session 4: fewer hops, whole messages"). Must run before Netty's buffer classes
 * initialize, which read the property once: first thing in {@code ProxyMain.main}.
 */
final class AllocatorDefault {
    static final String TYPE_PROPERTY = "io.netty.allocator.type";
    static final String DEFAULT_TYPE = "pooled";

    private AllocatorDefault() {
    }

    /** Sets the default into {@code system} when no allocator was chosen; returns the type now in force. */
    static String apply(Properties system) {
        if (system.getProperty(TYPE_PROPERTY) == null) {
            system.setProperty(TYPE_PROPERTY, DEFAULT_TYPE);
        }
        return system.getProperty(TYPE_PROPERTY);
    }
}
