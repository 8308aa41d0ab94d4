package dev.runtimeplane.saga;

import static dev.runtimeplane.saga.Harness.OWNER;
import static dev.runtimeplane.saga.Harness.eventually;
import static dev.runtimeplane.saga.Harness.finish;
import static dev.runtimeplane.saga.Harness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.saga.testing.InMemoryJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator's actions on the in-memory ports: each journaled, stored and recorded with who and why. */
class OperatorActionsTest {

    private static final OperatorNote ALICE = new OperatorNote("admin:alice", "inventory is back");

    private final Harness harness = new Harness();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicBoolean refundWorks = new AtomicBoolean();

    @AfterEach
    void close() {
        harness.close();
    }

    /** a, b (whose refund fails until {@link #refundWorks}), then c fails: ends FAILED with b's compensation given up. */
    private SagaDefinition failingRefund() {
        return SagaDefinition.builder("refund", 1)
                .step("a", ctx -> "ra", ctx -> calls.add("undo a"))
                .step("b", ctx -> "rb", ctx -> {
                    if (!refundWorks.get()) {
                        calls.add("undo b failed");
                        throw new IllegalStateException("refund service down");
                    }
                    calls.add("undo b");
                }).compensationRetry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(5))
                        .maxBackoff(Duration.ofMillis(10)).jitter(0).build())
                .step("c", ctx -> {
                    throw new IllegalStateException("out of stock");
                }).retry(RetryPolicy.noRetry())
                .build();
    }

    @Test
    void aRetryCompensatesAFailedExecutionFromWhereItStopped() throws Exception {
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(failingRefund(), OWNER, "", null);
        assertEquals(SagaState.FAILED, finish(coordinator, id).state());
        assertEquals(List.of("undo b failed", "undo b failed"), calls);

        refundWorks.set(true);
        ExecutionView retried = coordinator.retryCompensation(key(id), ALICE);

        assertEquals(SagaState.COMPENSATING, retried.state());
        assertEquals(null, retried.error());
        eventually("the retried compensation finishes", () -> coordinator.status(key(id)).state() == SagaState.COMPENSATED);
        assertEquals(List.of("undo b failed", "undo b failed", "undo b", "undo a"), calls);
        List<SagaEvent> history = coordinator.history(key(id));
        SagaEvent action = history.stream().filter(e -> e.type() == SagaEventType.ADMIN_ACTION).findFirst().orElseThrow();
        assertEquals("admin:alice", action.actor());
        assertEquals("retry: inventory is back", action.detail());
        assertEquals(SagaState.COMPENSATED, history.getLast().state());
        assertEquals(3, coordinator.status(key(id)).steps().get(1).compensationAttempts());
        assertEquals(SagaState.COMPENSATED, coordinator.whenFinished(key(id)).get(20, TimeUnit.SECONDS).state(),
                "a subscription goes on past the FINISHED of the first failure");
        StateConflictException again = assertThrows(StateConflictException.class,
                () -> coordinator.retryCompensation(key(id), ALICE));
        assertEquals(SagaState.COMPENSATED, again.currentState());
    }

    @Test
    void aRetryThatFailsAgainEndsFailedAgainAndCanBeRetriedOnceMore() throws Exception {
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(failingRefund(), OWNER, "", null);
        assertEquals(SagaState.FAILED, finish(coordinator, id).state());

        coordinator.retryCompensation(key(id), ALICE);
        eventually("it fails again", () -> coordinator.status(key(id)).state() == SagaState.FAILED);
        refundWorks.set(true);
        coordinator.retryCompensation(key(id), ALICE);
        eventually("the second retry compensates", () -> coordinator.status(key(id)).state() == SagaState.COMPENSATED);
        assertEquals(List.of("undo b failed", "undo b failed", "undo b failed", "undo b failed", "undo b", "undo a"), calls);
    }

    @Test
    void resolveClosesAFailedExecutionWithTheNoteAndNothingRuns() throws Exception {
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(failingRefund(), OWNER, "", null);
        assertEquals(SagaState.FAILED, finish(coordinator, id).state());
        calls.clear();

        ExecutionView resolved = coordinator.resolve(key(id), new OperatorNote("admin:bob", "refunded by hand"));

        assertEquals(SagaState.RESOLVED, resolved.state());
        assertEquals(SagaState.RESOLVED, coordinator.status(key(id)).state());
        List<SagaEvent> history = coordinator.history(key(id));
        assertEquals(SagaEventType.ADMIN_ACTION, history.get(history.size() - 2).type());
        assertEquals("admin:bob", history.get(history.size() - 2).actor());
        assertEquals(SagaEventType.FINISHED, history.getLast().type());
        assertEquals("refunded by hand", history.getLast().detail());
        assertEquals(List.of(), calls);
        assertEquals(SagaState.RESOLVED, assertThrows(StateConflictException.class,
                () -> coordinator.resolve(key(id), ALICE)).currentState());
        assertEquals(SagaState.RESOLVED, assertThrows(StateConflictException.class,
                () -> coordinator.retryCompensation(key(id), ALICE)).currentState());
        assertTrue(harness.store.currentLease(key(id)).isEmpty(), "resolving leaves no lease behind");
    }

    @Test
    void anOperatorsCancelSentToAnotherReplicaIsAppliedByTheOwnerAndRecorded() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("long", 1)
                .step("a", ctx -> "ra", ctx -> calls.add("undo a"))
                .step("b", ctx -> {
                    running.countDown();
                    while (!ctx.cancellation().isCancelled()) {
                        Thread.onSpinWait();
                    }
                    throw new IllegalStateException("stopped: " + ctx.cancellation().reason());
                })
                .build();
        SagaCoordinator owner = harness.start("replica-a", new InMemoryJournal(), harness.store, b -> b);
        SagaCoordinator other = harness.start("replica-b", new InMemoryJournal(), harness.store, b -> b);
        ExecutionId id = owner.start(saga, OWNER, "", null);
        assertTrue(running.await(5, TimeUnit.SECONDS));

        ExecutionView answered = other.cancel(key(id), ALICE);

        assertTrue(answered.cancelRequested());
        assertEquals(SagaState.CANCELLED, finish(owner, id).state());
        assertEquals("replica-a", owner.status(key(id)).owner());
        SagaEvent action = owner.history(key(id)).stream().filter(e -> e.type() == SagaEventType.ADMIN_ACTION)
                .findFirst().orElseThrow();
        assertEquals("cancel: inventory is back", action.detail());
        assertEquals(List.of("undo a"), calls);
        assertEquals(SagaState.CANCELLED, assertThrows(StateConflictException.class,
                () -> other.cancel(key(id), ALICE)).currentState());
    }

    @Test
    void aRedriveRunsAnExecutionStuckOnAVersionNoReplicaHadOnceItIsRegistered() throws Exception {
        SagaDefinition v1 = SagaDefinition.builder("versioned", 1).step("a", ctx -> "ra").step("b", ctx -> {
            calls.add("b");
            return "rb";
        }).build();
        CountDownLatch inA = new CountDownLatch(1);
        CountDownLatch holdA = new CountDownLatch(1);
        SagaDefinition blocking = SagaDefinition.builder("versioned", 1).step("a", ctx -> {
            inA.countDown();
            holdA.await();
            return "ra";
        }).step("b", ctx -> "rb").build();
        // Replica a runs v1 and parks it on drain; replica b lacks v1 (as if a dead replica had it only).
        SagaRegistry registryA = new SagaRegistry().register(blocking);
        SagaCoordinator first = new SagaCoordinator(registryA, new InMemoryJournal(), harness.store,
                Harness.fastOptions("replica-a").build());
        first.start();
        ExecutionId id = first.start("versioned", OWNER, "", null);
        assertTrue(inA.await(5, TimeUnit.SECONDS));
        first.drain(Instant.now().plusMillis(100));
        holdA.countDown();
        first.close();
        SagaRegistry registryB = new SagaRegistry();
        SagaCoordinator second = new SagaCoordinator(registryB, new InMemoryJournal(), harness.store,
                Harness.fastOptions("replica-b").build());
        second.start();
        try {
            RuntimePlaneException unknown = assertThrows(RuntimePlaneException.class,
                    () -> second.redrive(key(id), ALICE));
            assertEquals(ErrorCode.UNKNOWN_TYPE, unknown.code());
            assertEquals(SagaState.RUNNING, second.status(key(id)).state());

            registryB.register(v1);
            ExecutionView redriven = second.redrive(key(id), ALICE);

            assertEquals("replica-b", redriven.owner());
            assertEquals(SagaState.COMPLETED, second.whenFinished(key(id)).get(20, TimeUnit.SECONDS).state());
            assertEquals(List.of("b"), calls);
            assertTrue(second.history(key(id)).stream().anyMatch(e -> e.type() == SagaEventType.ADMIN_ACTION
                    && e.detail().equals("redrive: inventory is back")));
            assertEquals(SagaState.COMPLETED, assertThrows(StateConflictException.class,
                    () -> second.redrive(key(id), ALICE)).currentState());
        } finally {
            second.close();
        }
    }
}
