package io.sluice.proxy.middleware;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * One request's body held back until it is complete, for {@code buffering}: the data path hands every body part
 * to {@link #add}, which keeps it, refuses the body once it grows past the limit, or, at the last part, returns
 * the whole body to forward in one piece. Lives on one event loop; whatever it still holds when the exchange ends
 * is released by {@link #release}, which the middleware registers as the exchange's completion.
 */
public final class RequestBodyBuffer {
    private final long maxBytes;
    private CompositeByteBuf held;
    private boolean overLimit;

    RequestBodyBuffer(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes ownership of {@code part}.
     *
     * @return null while the body is incomplete or over the limit (see {@link #overLimit()}); at the last part,
     *         the whole body as one last content, owned by the caller
     */
    public LastHttpContent add(HttpContent part, ByteBufAllocator allocator) {
        if (overLimit) {
            part.release();
            return null;
        }
        if (held == null) {
            held = allocator.compositeBuffer(Integer.MAX_VALUE);
        }
        ByteBuf bytes = part.content().retain();
        LastHttpContent last = part instanceof LastHttpContent ? (LastHttpContent) part : null;
        part.release();
        held.addComponent(true, bytes);
        if (maxBytes > 0 && held.readableBytes() > maxBytes) {
            overLimit = true;
            release();
            return null;
        }
        if (last == null) {
            return null;
        }
        DefaultLastHttpContent whole = new DefaultLastHttpContent(held);
        whole.trailingHeaders().set(last.trailingHeaders());
        held = null;
        return whole;
    }

    /** Whether the body grew past the limit; the parts held so far have been released. */
    public boolean overLimit() {
        return overLimit;
    }

    /** Releases what is still held; safe to call more than once. */
    void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
