package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.InvalidArgumentException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a step (or its compensation) is retried.
 *
 * <p>Attempt {@code n} that fails is followed by a wait of
 * {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}, spread by {@code ±jitter} (a fraction,
 * 0 to 1). {@code maxAttempts} counts attempts that failed; a run cut short by a crash of the process
 * does not count. Exceptions of a {@link Builder#nonRetryable non-retryable} type end the step at once.
 */
public final class RetryPolicy {

    private static final RetryPolicy NO_RETRY = builder().maxAttempts(1).build();
    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy COMPENSATION_DEFAULTS = builder()
            .maxAttempts(10).maxBackoff(Duration.ofSeconds(30)).build();

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;
    private final double jitter;
    private final List<Class<? extends Throwable>> nonRetryable;

    private RetryPolicy(Builder builder) {
        this.maxAttempts = builder.maxAttempts;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.multiplier = builder.multiplier;
        this.jitter = builder.jitter;
        this.nonRetryable = List.copyOf(builder.nonRetryable);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One attempt, no retry. */
    public static RetryPolicy noRetry() {
        return NO_RETRY;
    }

    /** 3 attempts, 100 ms initial backoff doubling up to 10 s, 20% jitter: the default for steps. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** 10 attempts, 100 ms doubling up to 30 s, 20% jitter: the default for compensations, which must not give up early. */
    public static RetryPolicy compensationDefaults() {
        return COMPENSATION_DEFAULTS;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public double multiplier() {
        return multiplier;
    }

    public double jitter() {
        return jitter;
    }

    public List<Class<? extends Throwable>> nonRetryable() {
        return nonRetryable;
    }

    /** Whether another attempt may follow after {@code failedAttempts} failures, the last one being {@code error}. */
    public boolean allowsRetry(int failedAttempts, Throwable error) {
        if (failedAttempts >= maxAttempts) {
            return false;
        }
        for (Class<? extends Throwable> type : nonRetryable) {
            if (type.isInstance(error)) {
                return false;
            }
        }
        return true;
    }

    /** The wait before the attempt that follows failure number {@code failedAttempts} (1-based). */
    public Duration backoff(int failedAttempts) {
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        double capped = Math.min(base, maxBackoff.toNanos());
        double spread = jitter == 0 ? 1 : 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        return Duration.ofNanos((long) Math.max(0, capped * spread));
    }

    /**
     * The wait after failure number {@code failedAttempts} caused by {@code error}: the policy's backoff, or
     * longer when the error asks for it ({@link RetryAfterHint}, e.g. an HTTP {@code Retry-After}), but never
     * longer than {@code maxBackoff} because of a hint.
     */
    public Duration backoff(int failedAttempts, Throwable error) {
        Duration backoff = backoff(failedAttempts);
        if (error instanceof RetryAfterHint hint && hint.retryAfter() != null) {
            Duration asked = hint.retryAfter().compareTo(maxBackoff) > 0 ? maxBackoff : hint.retryAfter();
            return asked.compareTo(backoff) > 0 ? asked : backoff;
        }
        return backoff;
    }

    public static final class Builder {
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private double multiplier = 2.0;
        private double jitter = 0.2;
        private final ArrayList<Class<? extends Throwable>> nonRetryable = new ArrayList<>();

        private Builder() {
        }

        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new InvalidArgumentException("maxAttempts", "maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = requireNotNegative("initialBackoff", initialBackoff);
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = requireNotNegative("maxBackoff", maxBackoff);
            return this;
        }

        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1.0)) {
                throw new InvalidArgumentException("multiplier", "multiplier must be at least 1.0, was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /** A fraction from 0 (no jitter) to 1 by which each backoff is randomly stretched or shrunk. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new InvalidArgumentException("jitter", "jitter must be between 0 and 1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** Exception types (and their subtypes) that end the step at once instead of being retried. */
        @SafeVarargs
        public final Builder nonRetryable(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> type : types) {
                nonRetryable.add(type);
            }
            return this;
        }

        public RetryPolicy build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new InvalidArgumentException("maxBackoff",
                        "maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
            }
            return new RetryPolicy(this);
        }

        private static Duration requireNotNegative(String field, Duration value) {
            if (value == null || value.isNegative()) {
                throw new InvalidArgumentException(field, field + " must be zero or positive, was " + value);
            }
            return value;
        }
    }
}
