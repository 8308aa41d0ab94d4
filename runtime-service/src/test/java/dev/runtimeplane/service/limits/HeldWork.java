package dev.runtimeplane.service.limits;

import dev.runtimeplane.saga.SagaDefinition;
import dev.runtimeplane.service.intent.IntentType;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.CountDownLatch;

/**
 * A test intent type, {@code held-work}, whose one step runs until the test lets it go: executions that
 * stay in flight for exactly as long as a test needs, without burning CPU or depending on a duration.
 * Present only where a test sets {@code test.held-work.enabled}.
 */
@Factory
@Requires(property = "test.held-work.enabled", value = "true")
class HeldWork {

    static final String INTENT = "{\"type\":\"held-work\",\"payload\":{}}";
    private static volatile CountDownLatch gate = new CountDownLatch(1);

    /** Lets every held step finish; steps started afterwards are held again. */
    static void releaseAll() {
        CountDownLatch open = gate;
        gate = new CountDownLatch(1);
        open.countDown();
    }

    @Singleton
    @Named("held-work")
    IntentType heldWork() {
        SagaDefinition definition = SagaDefinition.builder("held-work", 1)
                .step("hold", context -> {
                    gate.await();
                    return "released";
                })
                .build();
        return new IntentType("held-work", "Holds its step until the test releases it.", definition, "{}");
    }
}
