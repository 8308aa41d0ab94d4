package dev.runtimeplane.saga;

import static dev.runtimeplane.saga.Harness.OWNER;
import static dev.runtimeplane.saga.Harness.finish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.OverloadedException;
import dev.runtimeplane.core.id.ExecutionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A replica holds at most {@code maxExecutions}; past it a start is refused at once with OVERLOADED. */
class AdmissionTest {

    private static final int LIMIT = 4;
    private static final int FLOOD = 60;

    private final Harness harness = new Harness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aStartFloodBeyondTheLimitIsRefusedAtOnceAndEverythingAcceptedFinishes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("held", 1).step("a", ctx -> {
            release.await();
            return "done";
        }).build();
        SagaCoordinator coordinator = harness.start("r1", harness.journal, harness.store,
                b -> b.concurrency(2).maxExecutions(LIMIT));
        List<ExecutionId> accepted = new ArrayList<>();
        int overloaded = 0;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ExecutionId>> starts = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                starts.add(clients.submit(() -> coordinator.start(saga, OWNER, "", null)));
            }
            // Every start answers while the admitted ones are still held by their steps.
            for (Future<ExecutionId> start : starts) {
                try {
                    accepted.add(start.get());
                } catch (ExecutionException e) {
                    OverloadedException refused = assertInstanceOf(OverloadedException.class, e.getCause());
                    assertEquals(ErrorCode.OVERLOADED, refused.code());
                    overloaded++;
                }
            }
        }
        assertEquals(LIMIT, accepted.size());
        assertEquals(FLOOD - LIMIT, overloaded);
        Map<String, Object> details = coordinator.health().details();
        assertEquals(LIMIT, details.get("executionLimit"));
        Harness.eventually("health shows the held executions",
                () -> Integer.valueOf(LIMIT).equals(coordinator.health().details().get("executionsInFlight")));

        release.countDown();
        for (ExecutionId id : accepted) {
            assertEquals(SagaState.COMPLETED, finish(coordinator, id).state());
        }
        Harness.eventually("the replica has room again",
                () -> Integer.valueOf(0).equals(coordinator.health().details().get("executionsInFlight")));
        assertEquals(SagaState.COMPLETED, finish(coordinator, coordinator.start(saga, OWNER, "", null)).state());
    }
}
