package dev.runtimeplane.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DefinitionTest {

    @Test
    void stepSettingsApplyToTheLastStep() {
        RetryPolicy five = RetryPolicy.builder().maxAttempts(5).build();
        SagaDefinition d = SagaDefinition.builder("trip", 2)
                .step("reserve", ctx -> "r", ctx -> { }).retry(five).timeout(Duration.ofSeconds(2))
                .step("charge", ctx -> "c")
                .deadline(Duration.ofMinutes(1))
                .build();
        assertSame(five, d.step(0).retry());
        assertEquals(Duration.ofSeconds(2), d.step(0).timeout());
        assertSame(RetryPolicy.defaults(), d.step(1).retry());
        assertTrue(d.step(0).hasCompensation());
        assertFalse(d.step(1).hasCompensation());
        assertEquals(Duration.ofMinutes(1), d.deadline().orElseThrow());
    }

    @Test
    void invalidDefinitionsAreRejectedNamingTheField() {
        assertEquals("step", assertThrows(InvalidArgumentException.class, () -> SagaDefinition.builder("x", 1)
                .step("a", ctx -> null).step("a", ctx -> null)).field().orElseThrow());
        assertEquals("steps", assertThrows(InvalidArgumentException.class,
                () -> SagaDefinition.builder("x", 1).build()).field().orElseThrow());
        assertEquals("version", assertThrows(InvalidArgumentException.class,
                () -> SagaDefinition.builder("x", 0)).field().orElseThrow());
        assertEquals("retry", assertThrows(InvalidArgumentException.class,
                () -> SagaDefinition.builder("x", 1).retry(RetryPolicy.noRetry())).field().orElseThrow());
        assertEquals("step", assertThrows(InvalidArgumentException.class,
                () -> SagaDefinition.builder("x", 1).step("has space", ctx -> null)).field().orElseThrow());
        assertEquals("timeout", assertThrows(InvalidArgumentException.class,
                () -> SagaDefinition.builder("x", 1).step("a", ctx -> null).timeout(Duration.ZERO)).field().orElseThrow());
    }

    @Test
    void theRegistryFindsByVersionAndLatest() {
        SagaDefinition v1 = SagaDefinition.builder("trip", 1).step("a", ctx -> null).build();
        SagaDefinition v2 = SagaDefinition.builder("trip", 2).step("a", ctx -> null).build();
        SagaRegistry registry = new SagaRegistry().register(v2).register(v1).register(v1);
        assertSame(v1, registry.lookup("trip", 1));
        assertSame(v2, registry.latest("trip"));
        assertEquals(ErrorCode.UNKNOWN_TYPE, assertThrows(UnknownSagaException.class,
                () -> registry.lookup("trip", 3)).code());
        assertThrows(UnknownSagaException.class, () -> registry.latest("nope"));
        SagaDefinition otherV1 = SagaDefinition.builder("trip", 1).step("a", ctx -> null).build();
        assertEquals(ErrorCode.CONFLICT, assertThrows(RuntimePlaneException.class,
                () -> registry.register(otherV1)).code());
    }

    @Test
    void backoffGrowsByTheMultiplierUpToTheCapWithinTheJitter() {
        RetryPolicy p = RetryPolicy.builder().initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(350))
                .multiplier(2).jitter(0).build();
        assertEquals(Duration.ofMillis(100), p.backoff(1));
        assertEquals(Duration.ofMillis(200), p.backoff(2));
        assertEquals(Duration.ofMillis(350), p.backoff(3));
        RetryPolicy jittery = RetryPolicy.builder().initialBackoff(Duration.ofMillis(100)).jitter(0.5).build();
        for (int i = 0; i < 100; i++) {
            long millis = jittery.backoff(1).toMillis();
            assertTrue(millis >= 50 && millis <= 150, "backoff " + millis);
        }
    }

    @Test
    void retriesStopAtMaxAttemptsAndForNonRetryableErrors() {
        RetryPolicy p = RetryPolicy.builder().maxAttempts(3).nonRetryable(IllegalArgumentException.class).build();
        assertTrue(p.allowsRetry(1, new RuntimeException()));
        assertTrue(p.allowsRetry(2, new RuntimeException()));
        assertFalse(p.allowsRetry(3, new RuntimeException()));
        assertFalse(p.allowsRetry(1, new NumberFormatException()));
        assertFalse(RetryPolicy.noRetry().allowsRetry(1, new RuntimeException()));
        assertThrows(InvalidArgumentException.class, () -> RetryPolicy.builder().maxAttempts(0));
        assertThrows(InvalidArgumentException.class, () -> RetryPolicy.builder().jitter(1.5));
        assertThrows(InvalidArgumentException.class,
                () -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(1)).build());
    }

    @Test
    void aRetryAfterHintLengthensTheBackoffUpToMaxBackoff() {
        RetryPolicy policy = RetryPolicy.builder().initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofSeconds(5))
                .jitter(0).build();
        class Busy extends RuntimeException implements RetryAfterHint {
            private final Duration wait;

            Busy(Duration wait) {
                this.wait = wait;
            }

            @Override
            public Duration retryAfter() {
                return wait;
            }
        }
        assertEquals(Duration.ofMillis(50), policy.backoff(1, new IllegalStateException()));
        assertEquals(Duration.ofMillis(50), policy.backoff(1, new Busy(null)));
        assertEquals(Duration.ofSeconds(2), policy.backoff(1, new Busy(Duration.ofSeconds(2))));
        assertEquals(Duration.ofSeconds(5), policy.backoff(1, new Busy(Duration.ofHours(1))), "capped at maxBackoff");
        assertEquals(Duration.ofMillis(100), policy.backoff(2, new Busy(Duration.ofMillis(10))), "never shorter");
    }
}
