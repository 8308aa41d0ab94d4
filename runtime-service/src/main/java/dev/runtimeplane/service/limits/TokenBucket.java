package dev.runtimeplane.service.limits;

import java.time.Duration;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at {@code perSecond}. One per tenant per
 * replica; a few arithmetic operations under the bucket's own lock, never blocking.
 */
final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long refilledAt;

    TokenBucket(int capacity, double perSecond, long nowNanos) {
        this.capacity = capacity;
        this.perNano = perSecond / 1e9;
        this.tokens = capacity;
        this.refilledAt = nowNanos;
    }

    /** Takes a token; when none is left, returns how long until one is (nothing is taken), else null. */
    synchronized Duration tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return null;
        }
        return Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
    }

    /** True when the bucket is full again: forgetting it changes nothing. */
    synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) * perNano);
        refilledAt = nowNanos;
    }
}
