package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.snapshot.CircuitBreakerExpression;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Traefik {@code circuitBreaker}. Closed, it lets requests through and records how their exchanges end in a
 * ten-second {@link ExchangeWindow}; at most once per check period it evaluates the expression over that window
 * (never over an empty one), and when it holds, the breaker opens: every request is answered
 * {@code responseCode} for the fallback duration without reaching the backend. Then it recovers: over the
 * recovery duration it lets a share of requests through that grows linearly from 0 to all, still checking the
 * expression (over the recovering exchanges only) and opening again if it holds; after that it is closed.
 * Exchanges the client abandoned (499) are not recorded: a client going away says nothing about the backend.
 * One breaker serves every event loop, so its state changes under its own lock.
 */
public final class CircuitBreakerMiddleware implements HttpMiddleware {
    private enum State { CLOSED, OPEN, RECOVERING }

    private final CircuitBreakerExpression expression;
    private final long checkPeriodNanos;
    private final long fallbackNanos;
    private final long recoveryNanos;
    private final Answer fallback;
    private final LongSupplier nanoClock;
    private final ExchangeWindow window = ExchangeWindow.tenSeconds();

    private State state = State.CLOSED;
    private long nextCheck;
    private long openUntil;
    private long recoveryStart;
    private long recoverySeen;
    private long recoveryAdmitted;

    CircuitBreakerMiddleware(CircuitBreakerExpression expression, long checkPeriodMillis, long fallbackMillis,
            long recoveryMillis, int responseCode, LongSupplier nanoClock) {
        if (checkPeriodMillis <= 0 || fallbackMillis <= 0 || recoveryMillis <= 0) {
            throw new IllegalArgumentException("circuitBreaker checkPeriod, fallbackDuration and recoveryDuration"
                    + " must be > 0");
        }
        if (responseCode < 100 || responseCode > 599) {
            throw new IllegalArgumentException("circuitBreaker.responseCode must be 100-599, got " + responseCode);
        }
        this.expression = expression;
        this.checkPeriodNanos = TimeUnit.MILLISECONDS.toNanos(checkPeriodMillis);
        this.fallbackNanos = TimeUnit.MILLISECONDS.toNanos(fallbackMillis);
        this.recoveryNanos = TimeUnit.MILLISECONDS.toNanos(recoveryMillis);
        this.fallback = new Answer(responseCode, Map.of(), HttpResponseStatus.valueOf(responseCode).reasonPhrase());
        this.nanoClock = nanoClock;
        this.nextCheck = nanoClock.getAsLong();
    }

    /** Traefik's defaults for zero values: check every 100 ms, 10 s open, 10 s recovering, answer 503. */
    static CircuitBreakerMiddleware of(MiddlewareSpec.CircuitBreaker spec, LongSupplier nanoClock) {
        return new CircuitBreakerMiddleware(CircuitBreakerExpression.parse(spec.expression()),
                orDefault(spec.checkPeriodMillis(), 100), orDefault(spec.fallbackDurationMillis(), 10_000),
                orDefault(spec.recoveryDurationMillis(), 10_000),
                spec.responseCode() == 0 ? 503 : spec.responseCode(), nanoClock);
    }

    private static long orDefault(long value, long fallback) {
        return value == 0 ? fallback : value;
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        if (!admit(nanoClock.getAsLong())) {
            return fallback;
        }
        request.whenComplete(outcome -> {
            if (outcome.status() != ExchangeOutcome.CLIENT_CLOSED) {
                window.record(nanoClock.getAsLong(), outcome.status(), outcome.networkError(),
                        outcome.durationNanos());
            }
        });
        return null;
    }

    private synchronized boolean admit(long now) {
        if (state == State.OPEN) {
            if (now - openUntil < 0) {
                return false;
            }
            state = State.RECOVERING;
            recoveryStart = openUntil; // recovery began when the fallback ended, however late we notice
            recoverySeen = 0;
            recoveryAdmitted = 0;
            nextCheck = now + checkPeriodNanos;
        }
        if (now - nextCheck >= 0) {
            nextCheck = now + checkPeriodNanos;
            ExchangeWindow.Snapshot stats = window.snapshot(now);
            if (stats.total() > 0 && expression.holds(stats)) {
                state = State.OPEN;
                openUntil = now + fallbackNanos;
                window.reset();
                return false;
            }
        }
        if (state == State.RECOVERING) {
            long elapsed = now - recoveryStart;
            if (elapsed >= recoveryNanos) {
                state = State.CLOSED;
                return true;
            }
            double share = (double) elapsed / recoveryNanos;
            recoverySeen++;
            if (recoveryAdmitted >= share * recoverySeen) {
                return false;
            }
            recoveryAdmitted++;
        }
        return true;
    }

    /** The breaker's state name, for tests and debugging. */
    synchronized String state() {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }
}
