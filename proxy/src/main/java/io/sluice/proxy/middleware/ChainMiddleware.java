package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Runs middlewares in order; the first answer stops the chain. Responses pass back through them in reverse
 * order. A router's own middleware list is compiled into one of these too.
 */
public final class ChainMiddleware implements HttpMiddleware {
    private final List<HttpMiddleware> steps;

    public ChainMiddleware(List<HttpMiddleware> steps) {
        this.steps = List.copyOf(steps);
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
