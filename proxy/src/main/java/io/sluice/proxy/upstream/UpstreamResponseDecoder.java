package io.sluice.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Queue;

/**
 * Decodes the HTTP/1.1 responses of a pooled upstream connection into what Netty's client codec gives the proxy
 * (one {@link HttpResponse}, body parts, one {@link LastHttpContent}), but parses each head straight from the
 * received bytes into {@link WireHeaders} instead of a string and a hash-table entry per field: Netty's response
 * decoding was about 15 % of the event loop's user time. Bodies are retained slices of the input, at most
 * {@value #MAX_PIECE} bytes each; a body already received whole comes out as one
 * {@link LastHttpContent}, so the proxy writes head and body as one message.
 *
 * <p>The body's framing follows RFC 9112 section 6.3 ({@link ResponseBodyFraming}), using the method of the
 * request each final response answers (recorded by {@link UpstreamHttpCodec}'s encoder). Anything malformed
 * becomes one message with a failed {@link DecoderResult} (the proxy answers 502) and the rest of the connection's
 * bytes are dropped. After a {@code 101} every further byte is passed on as a raw {@link ByteBuf}, for the relay
 * that replaces the HTTP handlers.
 */
public final class UpstreamResponseDecoder extends ByteToMessageDecoder {
    private enum State { HEAD, FIXED, CHUNKED, UNTIL_CLOSE, UPGRADED, BAD }

    /** Bytes of body per emitted part at most. */
    static final int MAX_PIECE = 16384;
    private static final HttpResponseStatus UNKNOWN = new HttpResponseStatus(999, "Unknown");

    private final Queue<HttpMethod> methods;
    private final ResponseHeadParser heads;
    private final ChunkedBodyReader chunks;
    private State state = State.HEAD;
    private long remaining;

    /**
     * @param maxHeaderSize bytes of header fields accepted in a response head (and in a chunked body's trailers)
     * @param methods       the methods of the requests sent, oldest first; final responses take theirs from it
     */
    public UpstreamResponseDecoder(int maxHeaderSize, Queue<HttpMethod> methods) {
        this.methods = methods;
        this.heads = new ResponseHeadParser(maxHeaderSize);
        this.chunks = new ChunkedBodyReader(ResponseHeadParser.MAX_STATUS_LINE, maxHeaderSize, MAX_PIECE,
                (line, start, end, offsets, at) -> FieldLineSyntax.parse(line, start, offsets, at),
                MalformedResponseException::new);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
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
                case UNTIL_CLOSE:
                    if (!in.isReadable()) {
                        return;
                    }
                    out.add(new DefaultHttpContent(in.readRetainedSlice(
                            Math.min(in.readableBytes(), MAX_PIECE))));
                    break;
                case UPGRADED:
                    if (in.isReadable()) {
                        out.add(in.readRetainedSlice(in.readableBytes()));
                    }
                    return;
                default:
                    in.skipBytes(in.readableBytes());
                    return;
            }
        }
    }

    /** @return whether to go on decoding in this call */
    private boolean readHead(ByteBuf in, List<Object> out) {
        if (!heads.started()) {
            while (in.isReadable() && isLineEnd(in.getByte(in.readerIndex()))) {
                in.skipBytes(1); // stray CRLF some backends send after a body
            }
        }
        if (!in.isReadable()) {
            return false;
        }
        HttpResponse response;
        long length;
        try {
            response = heads.parse(in);
            if (response == null) {
                return false;
            }
            int code = response.status().code();
            length = ResponseBodyFraming.of(response, code >= 200 ? methods.poll() : null);
        } catch (MalformedResponseException e) {
            failHead(in, out, e);
            return false;
        }
        out.add(response);
        if (length == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            if (response.status().code() == 101) {
                state = State.UPGRADED;
                return false; // let the proxy take the connection out of HTTP before more bytes are decoded
            }
        } else if (length == ResponseBodyFraming.CHUNKED) {
            state = State.CHUNKED;
        } else if (length == ResponseBodyFraming.UNTIL_CLOSE) {
            state = State.UNTIL_CLOSE;
        } else {
            remaining = length;
            state = State.FIXED;
        }
        return true;
    }

    private static boolean isLineEnd(byte b) {
        return b == '\r' || b == '\n';
    }

    private boolean readFixed(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(Math.min(remaining, MAX_PIECE), in.readableBytes());
        if (n == 0) {
            return false;
        }
        remaining -= n;
        if (remaining == 0) {
            out.add(new DefaultLastHttpContent(in.readRetainedSlice(n)));
            state = State.HEAD;
        } else {
            out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        }
        return true;
    }

    private boolean readChunked(ByteBuf in, List<Object> out) {
        try {
            if (!chunks.read(in, out)) {
                return false;
            }
        } catch (MalformedResponseException e) {
            chunks.reset();
            fail(in);
            LastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            failed.setDecoderResult(DecoderResult.failure(e));
            out.add(failed);
            return false;
        }
        state = State.HEAD;
        return true;
    }

    private void failHead(ByteBuf in, List<Object> out, Exception cause) {
        heads.reset();
        fail(in);
        out.add(invalidHead(cause));
    }

    private void fail(ByteBuf in) {
        state = State.BAD;
        in.skipBytes(in.readableBytes());
    }

    private static FullHttpResponse invalidHead(Exception cause) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_0, UNKNOWN, Unpooled.EMPTY_BUFFER);
        response.setDecoderResult(DecoderResult.failure(cause));
        return response;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            decode(ctx, in, out);
        }
        if (state == State.UNTIL_CLOSE) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = State.HEAD;
        } else if (state == State.HEAD && heads.statusLineSeen()) {
            failHead(in, out, new PrematureChannelClosureException("connection closed before the response head ended"));
        }
    }
}
