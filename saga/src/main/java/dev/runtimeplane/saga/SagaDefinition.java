package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.id.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A named, versioned saga: steps that run in order, each with an optional compensation, and an
 * optional overall deadline. Built with {@link #builder(String, int)}; the step settings
 * ({@code retry}, {@code timeout}, ...) apply to the step added last:
 *
 * <pre>{@code
 * SagaDefinition trip = SagaDefinition.builder("book-trip", 1)
 *         .step("reserve", ctx -> hotel.reserve(ctx.idempotencyKey()), ctx -> hotel.release(ctx.idempotencyKey()))
 *             .retry(RetryPolicy.builder().maxAttempts(5).build())
 *             .timeout(Duration.ofSeconds(2))
 *         .step("charge", ctx -> payments.charge(ctx.input()), ctx -> payments.refund(ctx.result("charge").orElseThrow()))
 *         .deadline(Duration.ofMinutes(1))
 *         .build();
 * }</pre>
 */
public final class SagaDefinition {

    private final String name;
    private final int version;
    private final List<SagaStep> steps;
    private final Duration deadline;

    private SagaDefinition(String name, int version, List<SagaStep> steps, Duration deadline) {
        this.name = name;
        this.version = version;
        this.steps = List.copyOf(steps);
        this.deadline = deadline;
    }

    public static Builder builder(String name, int version) {
        return new Builder(name, version);
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    public List<SagaStep> steps() {
        return steps;
    }

    public SagaStep step(int index) {
        return steps.get(index);
    }

    /** The overall bound from start to the end of the forward steps; compensation is not bound by it. */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    @Override
    public String toString() {
        return name + " v" + version;
    }

    public static final class Builder {
        private final String name;
        private final int version;
        private final List<SagaStep> steps = new ArrayList<>();
        private final Set<String> stepNames = new HashSet<>();
        private Duration deadline;

        private Builder(String name, int version) {
            this.name = Ids.requireValid("definition", name);
            if (version < 1) {
                throw new InvalidArgumentException("version", "a definition version starts at 1, was " + version);
            }
            this.version = version;
        }

        /** Adds a step without compensation (nothing to undo). */
        public Builder step(String stepName, StepAction action) {
            return step(stepName, action, null);
        }

        /** Adds a step whose {@code compensation} undoes {@code action}. */
        public Builder step(String stepName, StepAction action, StepCompensation compensation) {
            Ids.requireValid("step", stepName);
            if (!stepNames.add(stepName)) {
                throw new InvalidArgumentException("step", "step '" + stepName + "' appears twice in " + name);
            }
            if (action == null) {
                throw new InvalidArgumentException("action", "step '" + stepName + "' needs an action");
            }
            steps.add(new SagaStep(stepName, action, compensation, RetryPolicy.defaults(),
                    RetryPolicy.compensationDefaults(), null));
            return this;
        }

        /** Retry policy of the last step's action. */
        public Builder retry(RetryPolicy policy) {
            SagaStep last = last("retry");
            replaceLast(new SagaStep(last.name(), last.action(), last.compensation(), require("retry", policy),
                    last.compensationRetry(), last.timeout()));
            return this;
        }

        /** Retry policy of the last step's compensation. */
        public Builder compensationRetry(RetryPolicy policy) {
            SagaStep last = last("compensationRetry");
            replaceLast(new SagaStep(last.name(), last.action(), last.compensation(), last.retry(),
                    require("compensationRetry", policy), last.timeout()));
            return this;
        }

        /** Bound on each attempt of the last step (see {@link SagaStep#timeout()}). */
        public Builder timeout(Duration timeout) {
            SagaStep last = last("timeout");
            replaceLast(new SagaStep(last.name(), last.action(), last.compensation(), last.retry(),
                    last.compensationRetry(), requirePositive("timeout", timeout)));
            return this;
        }

        /** Bound on the whole forward run, from start; when it passes the saga compensates. */
        public Builder deadline(Duration deadline) {
            this.deadline = requirePositive("deadline", deadline);
            return this;
        }

        public SagaDefinition build() {
            if (steps.isEmpty()) {
                throw new InvalidArgumentException("steps", "saga " + name + " has no steps");
            }
            return new SagaDefinition(name, version, steps, deadline);
        }

        private SagaStep last(String setting) {
            if (steps.isEmpty()) {
                throw new InvalidArgumentException(setting, setting + " applies to the last step; add a step first");
            }
            return steps.getLast();
        }

        private void replaceLast(SagaStep step) {
            steps.set(steps.size() - 1, step);
        }

        private static <T> T require(String field, T value) {
            if (value == null) {
                throw new InvalidArgumentException(field, field + " is required");
            }
            return value;
        }

        private static Duration requirePositive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new InvalidArgumentException(field, field + " must be positive, was " + value);
            }
            return value;
        }
    }
}
