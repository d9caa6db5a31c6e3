package io.sluice.proxy.entrypoint;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.sluice.proxy.upstream.ChunkedBodyReader;
import java.util.List;
import java.util.Queue;

/**
 * Decodes a client connection's HTTP/1.1 requests into what Netty's request decoder gave the proxy (one
 * {@link HttpRequest}, body parts, one {@link LastHttpContent}; {@link LastHttpContent#EMPTY_LAST_CONTENT} right
 * after a body-less head), but parses each head straight from the received bytes into
 * {@link io.sluice.proxy.upstream.WireHeaders} ({@link RequestHeadParser}): no string and no hash-table entry per
 * field, and the fields reach the backend as bytes. Body framing follows RFC 9112 section 6.3
 * ({@link RequestBodyFraming}, {@link ChunkedBodyReader}); body parts are retained slices of the input, at most
 * {@value #MAX_PIECE} bytes each.
 *
 * <p>This faces the internet, so anything malformed becomes one message with a failed {@link DecoderResult} (a head
 * gets 400, 414 or 431 from {@link RequestHeadCheck}; a body part makes the exchange handler answer 400 or close)
 * and every later byte of the connection is dropped. Empty lines before a request line are skipped (RFC 9112 2.2),
 * up to the request line's length limit.
 *
 * <p>After a request asking for a protocol switch ({@code Upgrade}) has ended, decoding pauses with the following
 * bytes left in the buffer until that request is answered: a {@code 101} removes this decoder and the bytes reach
 * the relay that replaces it (a client may send its first frames right after the handshake); any other final
 * response resumes decoding ({@link #answered}). While paused the decoder asks for no reads of its own.
 */
final class ClientRequestDecoder extends ByteToMessageDecoder {
    /** Bytes of body per emitted part, as Netty's decoder (its default chunk size). */
    static final int MAX_PIECE = 8192;
    /** Bytes held while paused after which the exchange handler's reads are held back too. */
    static final int MAX_HELD = 64 * 1024;

    private enum State { HEAD, FIXED, CHUNKED, PAUSED, BAD }

    private final int maxLineLength;
    private final Queue<HttpMethod> unanswered;
    private final RequestHeadParser heads;
    private final ChunkedBodyReader chunks;
    private State state = State.HEAD;
    private long remaining;
    /** Empty-line bytes skipped before the request line being read. */
    private int skipped;
    /** Whether the request being read asks for a protocol switch. */
    private boolean upgrade;
    /** The context of the last decode, to resume from when paused. */
    private ChannelHandlerContext context;

    /**
     * @param maxLineLength bytes of a request line (and of a chunk-size line); more gets 414
     * @param maxHeaderSize bytes of header lines (and of trailer lines) without CRLFs; more gets 431
     * @param names         the check for names the proxy adds or sets later on a decoded head
     * @param unanswered    the methods of the requests decoded and not answered yet, oldest first: this decoder
     *                      adds each request's, the response encoder takes one per final response
     */
    ClientRequestDecoder(int maxLineLength, int maxHeaderSize, DefaultHeaders.NameValidator<CharSequence> names,
            Queue<HttpMethod> unanswered) {
        this.maxLineLength = maxLineLength;
        this.unanswered = unanswered;
        this.heads = new RequestHeadParser(maxLineLength, maxHeaderSize, names);
        this.chunks = new ChunkedBodyReader(maxLineLength, maxHeaderSize, MAX_PIECE, RequestFieldLine::parse,
                MalformedRequestException::new);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        context = ctx;
        while (true) {
            switch (state) {
                case HEAD:
                    if (!readHead(in, out)) {
                        return;
                    }
                    break;
                case FIXED:
                    if (!readFixed(in, out)) {
                        return;
                    }
                    break;
                case CHUNKED:
                    if (!readChunked(in, out)) {
                        return;
                    }
                    break;
                case PAUSED:
                    return;
                default:
                    in.skipBytes(in.readableBytes());
                    return;
            }
        }
    }

    /** @return whether to go on decoding in this call */
    private boolean readHead(ByteBuf in, List<Object> out) {
        HttpRequest request;
        try {
            if (!heads.requestLineSeen() && !skipEmptyLines(in)) {
                return false;
            }
            request = heads.parse(in);
            if (request == null) {
                return false;
            }
        } catch (MalformedRequestException e) {
            failHead(in, out, e, e.requestLine());
            return false;
        } catch (TooLongFrameException e) { // TooLongHttpLineException, TooLongHttpHeaderException: 414, 431
            failHead(in, out, e, null);
            return false;
        }
        skipped = 0;
        long length;
        try {
            length = RequestBodyFraming.of(request);
        } catch (MalformedRequestException e) {
            failHead(in, out, e, request);
            return false;
        }
        upgrade = request.headers().contains(HttpHeaderNames.UPGRADE);
        emit(out, request);
        if (length == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            return ended();
        }
        if (length == RequestBodyFraming.CHUNKED) {
            state = State.CHUNKED;
        } else {
            remaining = length;
            state = State.FIXED;
        }
        return true;
    }

    /**
     * Skips CR and LF bytes before a request line.
     *
     * @return whether a request line starts in {@code in}
     */
    private boolean skipEmptyLines(ByteBuf in) {
        while (in.isReadable()) {
            byte b = in.getByte(in.readerIndex());
            if (b != '\r' && b != '\n') {
                return true;
            }
            in.skipBytes(1);
            if (++skipped > maxLineLength) {
                throw new TooLongHttpLineException("empty lines before the request line");
            }
        }
        return false;
    }

    private void emit(List<Object> out, HttpRequest request) {
        unanswered.add(request.method());
        out.add(request);
    }

    /** A request ended: go on with the next one, or pause after a protocol switch request still unanswered. */
    private boolean ended() {
        if (upgrade && !unanswered.isEmpty()) {
            state = State.PAUSED;
            return false;
        }
        state = State.HEAD;
        return true;
    }

    private boolean readFixed(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(Math.min(remaining, MAX_PIECE), in.readableBytes());
        if (n == 0) {
            return false;
        }
        remaining -= n;
        if (remaining == 0) {
            out.add(new DefaultLastHttpContent(in.readRetainedSlice(n)));
            return ended();
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        return true;
    }

    private boolean readChunked(ByteBuf in, List<Object> out) {
        try {
            if (!chunks.read(in, out)) {
                return false;
            }
        } catch (MalformedRequestException e) {
            chunks.reset();
            drop(in);
            LastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            failed.setDecoderResult(DecoderResult.failure(e));
            out.add(failed);
            return false;
        }
        return ended();
    }

    /**
     * Emits the failed head and drops the rest of the connection's bytes.
     *
     * @param head the head as far as it was valid (its request line, with or without fields), or null: then
     *             {@code GET /bad-request HTTP/1.0}, as Netty's decoder made it
     */
    private void failHead(ByteBuf in, List<Object> out, Exception cause, HttpRequest head) {
        heads.reset();
        drop(in);
        HttpRequest request = head != null ? head : new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET,
                "/bad-request", Unpooled.EMPTY_BUFFER);
        request.setDecoderResult(DecoderResult.failure(cause));
        emit(out, request);
    }

    private void drop(ByteBuf in) {
        state = State.BAD;
        in.skipBytes(in.readableBytes());
    }

    /**
     * A final response went to the client: if decoding paused after a protocol switch request and none is left
     * unanswered, decode the bytes held meanwhile (in a task of its own, not inside the write).
     */
    void answered() {
        if (state != State.PAUSED || !unanswered.isEmpty()) {
            return;
        }
        state = State.HEAD;
        ChannelHandlerContext ctx = context;
        ctx.executor().execute(() -> {
            if (!ctx.isRemoved() && ctx.channel().isActive()) {
                try {
                    channelRead(ctx, Unpooled.EMPTY_BUFFER);
                    channelReadComplete(ctx);
                } catch (Exception e) {
                    ctx.fireExceptionCaught(e);
                }
            }
        });
    }

    /**
     * Whether to hold back reads: decoding paused after a protocol switch request and already holds
     * {@value #MAX_HELD} bytes (a client cannot make the proxy buffer without bound while the backend answers).
     */
    boolean holdsEnough() {
        return state == State.PAUSED && actualReadableBytes() >= MAX_HELD;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (state == State.PAUSED) {
            ctx.fireChannelReadComplete(); // no read of our own: the held bytes wait for the switch's answer
            return;
        }
        super.channelReadComplete(ctx);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            decode(ctx, in, out);
        }
        if (state == State.HEAD && heads.requestLineSeen()) {
            failHead(in, out, new PrematureChannelClosureException("connection closed before the request head ended"),
                    null);
        } else if (state == State.FIXED || state == State.CHUNKED) {
            chunks.reset();
            state = State.BAD;
            LastHttpContent cut = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            cut.setDecoderResult(DecoderResult.failure(
                    new PrematureChannelClosureException("connection closed before the request body ended")));
            out.add(cut);
        }
    }
}
