package io.sluice.proxy.middleware;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.List;

/**
 * Runs middlewares in order; the first answer stops the chain. Responses pass back through them in reverse
 * order. A router's own middleware list is compiled into one of these too. When a step must wait for I/O
 * ({@link AsyncHttpMiddleware}), the data path runs the chain with {@link #decide} instead of
 * {@link #onRequest}.
 */
public final class ChainMiddleware implements HttpMiddleware {
    private final List<HttpMiddleware> steps;
    private final boolean waitsForIo;

    public ChainMiddleware(List<HttpMiddleware> steps) {
        this.steps = List.copyOf(steps);
        this.waitsForIo = this.steps.stream().anyMatch(ChainMiddleware::waitsForIo);
    }

    private static boolean waitsForIo(HttpMiddleware step) {
        return step instanceof AsyncHttpMiddleware
                || (step instanceof ChainMiddleware && ((ChainMiddleware) step).waitsForIo());
    }

    /** Whether a step needs I/O, so that the chain must run with {@link #decide}. */
    public boolean waitsForIo() {
        return waitsForIo;
    }

    /**
     * Runs the steps in order, waiting (without blocking) for the asynchronous ones; completes on the client's
     * event loop with null to continue or the reply of the first step that answered.
     */
    public Future<Reply> decide(ForwardedRequest request, Channel client) {
        Promise<Reply> promise = client.eventLoop().newPromise();
        runFrom(0, request, client, promise);
        return promise;
    }

    private void runFrom(int first, ForwardedRequest request, Channel client, Promise<Reply> promise) {
        try {
            for (int i = first; i < steps.size(); i++) {
                HttpMiddleware step = steps.get(i);
                if (!waitsForIo(step)) {
                    Answer answer = step.onRequest(request);
                    if (answer != null) {
                        promise.trySuccess(Reply.of(answer));
                        return;
                    }
                    continue;
                }
                Future<Reply> pending = step instanceof ChainMiddleware
                        ? ((ChainMiddleware) step).decide(request, client)
                        : ((AsyncHttpMiddleware) step).decide(request, client);
                int next = i + 1;
                if (!pending.isDone()) {
                    pending.addListener(f -> stepDone(pending, next, request, client, promise));
                    return;
                }
                if (!pending.isSuccess() || pending.getNow() != null) {
                    stepDone(pending, next, request, client, promise);
                    return;
                }
            }
            promise.trySuccess(null);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
        }
    }

    private void stepDone(Future<Reply> step, int next, ForwardedRequest request, Channel client,
            Promise<Reply> promise) {
        if (!step.isSuccess()) {
            promise.tryFailure(step.cause());
        } else if (step.getNow() != null) {
            promise.trySuccess(step.getNow());
        } else {
            runFrom(next, request, client, promise);
        }
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        for (HttpMiddleware step : steps) {
            Answer answer = step.onRequest(request);
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }

    /**
     * The {@code errors} middleware that replaces a response with {@code status}: the one closest to the backend
     * (the last in order, nested chains included), or null.
     */
    public ErrorsMiddleware errorPagesFor(int status) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            HttpMiddleware step = steps.get(i);
            if (step instanceof ErrorsMiddleware && ((ErrorsMiddleware) step).handles(status)) {
                return (ErrorsMiddleware) step;
            }
            if (step instanceof ChainMiddleware) {
                ErrorsMiddleware nested = ((ChainMiddleware) step).errorPagesFor(status);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    /** The first {@code retry} middleware of this chain (nested chains included), or null. */
    public RetryMiddleware retry() {
        for (HttpMiddleware step : steps) {
            if (step instanceof RetryMiddleware) {
                return (RetryMiddleware) step;
            }
            if (step instanceof ChainMiddleware) {
                RetryMiddleware nested = ((ChainMiddleware) step).retry();
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    @Override
    public void onResponse(ForwardedRequest request, HttpHeaders headers) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            steps.get(i).onResponse(request, headers);
        }
    }
}
