package dev.runtimeplane.saga;

import static dev.runtimeplane.saga.Harness.OWNER;
import static dev.runtimeplane.saga.Harness.eventually;
import static dev.runtimeplane.saga.Harness.finish;
import static dev.runtimeplane.saga.Harness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.TooLargeException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import dev.runtimeplane.saga.testing.InMemoryJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The coordinator on in-memory ports: running, retrying, timing out, compensating, cancelling, history, health. */
class SagaCoordinatorTest {

    private final Harness harness = new Harness();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        harness.close();
    }

    private static RetryPolicy quickRetries(int attempts) {
        return RetryPolicy.builder().maxAttempts(attempts).initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(20)).jitter(0).build();
    }

    private StepCompensation undo(String step) {
        return ctx -> calls.add("undo " + step + " " + ctx.idempotencyKey().endsWith(":" + step + ":compensation"));
    }

    @Test
    void beforeStartCallersAreToldToRetry() {
        SagaCoordinator starting = new SagaCoordinator(harness.registry, harness.journal, harness.store,
                Harness.fastOptions("r1").build());
        SagaDefinition one = SagaDefinition.builder("one", 1).step("only", ctx -> "ok").build();
        assertThrows(UnavailableException.class, () -> starting.start(one, OWNER, "in", null));
        assertThrows(UnavailableException.class, () -> starting.status(key(ExecutionId.generate())));
        starting.close();
    }

    @Test
    void stepsLogWithTheExecutionsIdsInTheMdc() throws Exception {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        SagaDefinition logged = SagaDefinition.builder("logged", 1)
                .step("look", ctx -> {
                    seen.add(MDC.getCopyOfContextMap());
                    return "ok";
                })
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(logged, OWNER, "in", "mdc");
        assertEquals(SagaState.COMPLETED, finish(coordinator, id).state());
        assertEquals(List.of(Map.of("tenantId", "tenant-1", "sessionId", "session-1", "executionId", id.value())), seen);
    }

    @Test
    void statusIsNeverBehindTheStoreWhileAJournalAppendIsStillOnItsWay() throws Exception {
        // Appends are held once the step has run: its outcome reaches the store while the journal is slow.
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean hold = new AtomicBoolean();
        InMemoryJournal inner = new InMemoryJournal();
        Journal slow = new Journal() {
            @Override
            public CompletableFuture<Long> append(int type, byte[] payload) {
                CompletableFuture<Long> appended = inner.append(type, payload);
                if (!hold.get()) {
                    return appended;
                }
                return appended.thenApplyAsync(sequence -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return sequence;
                }, runnable -> Thread.ofVirtual().start(runnable));
            }

            @Override
            public CompletableFuture<Long> appendBatch(
                    List<JournalRecord> records) {
                return inner.appendBatch(records);
            }

            @Override
            public Stream<JournalEntry> replay(long fromSequence) {
                return inner.replay(fromSequence);
            }

            @Override
            public void flush() {
                inner.flush();
            }

            @Override
            public void raiseFloor(long sequence) {
                inner.raiseFloor(sequence);
            }

            @Override
            public long lastSequence() {
                return inner.lastSequence();
            }
        };
        SagaDefinition one = SagaDefinition.builder("one", 1).step("only", ctx -> {
            hold.set(true);
            return "done";
        }).build();
        SagaCoordinator coordinator = harness.start("r1", slow, harness.store, b -> b);
        ExecutionId id = coordinator.start(one, OWNER, "in", null);
        try {
            eventually("the step's outcome is in the store",
                    () -> harness.store.read(key(id)).join().map(SagaCoordinatorTest::stepSucceeded).orElse(false));
            ExecutionView view = coordinator.status(key(id));
            assertEquals(StepStatus.SUCCEEDED, view.steps().getFirst().status(), view.toString());
        } finally {
            release.countDown();
        }
        assertEquals(SagaState.COMPLETED, finish(coordinator, id).state());
    }

    private static boolean stepSucceeded(ExecutionRecord record) {
        return SnapshotCodec.decode(record.body()).view().steps().getFirst().status() == StepStatus.SUCCEEDED;
    }

    @Test
    void runsTheStepsInOrderEachSeeingInputEarlierResultsAndItsKey() throws Exception {
        SagaDefinition trip = SagaDefinition.builder("trip", 1)
                .step("reserve", ctx -> {
                    calls.add("reserve " + ctx.input() + " " + ctx.attempt() + " " + ctx.idempotencyKey());
                    return "R1";
                })
                .step("charge", ctx -> "C(" + ctx.result("reserve").orElseThrow() + ")")
                .step("confirm", ctx -> ctx.results().get("reserve") + "+" + ctx.results().get("charge"))
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(trip, OWNER, "in", "k1");
        ExecutionView view = finish(coordinator, id);
        assertEquals(SagaState.COMPLETED, view.state());
        assertEquals(List.of("R1", "C(R1)", "R1+C(R1)"), view.steps().stream().map(StepView::result).toList());
        assertEquals(List.of("reserve in 1 " + id + ":reserve"), calls);
        assertEquals(List.of(SagaEventType.STARTED, SagaEventType.STEP_STARTED, SagaEventType.STEP_SUCCEEDED,
                        SagaEventType.STEP_STARTED, SagaEventType.STEP_SUCCEEDED, SagaEventType.STEP_STARTED,
                        SagaEventType.STEP_SUCCEEDED, SagaEventType.FINISHED),
                coordinator.history(key(id)).stream().map(SagaEvent::type).toList());
        assertEquals(1, view.definitionVersion());
        assertEquals("r1", view.owner());
        // Read back through the store too (a replica that does not drive it).
        assertEquals(view.steps(), coordinator.status(key(id)).steps());
    }

    @Test
    void everyTransitionIsJournaledAndStoredBeforeTheNextStepRuns() throws Exception {
        List<String> seenByB = new CopyOnWriteArrayList<>();
        SagaDefinition saga = SagaDefinition.builder("ordered", 1)
                .step("a", ctx -> "ra")
                .step("b", ctx -> {
                    ExecutionSnapshot stored = SnapshotCodec.decode(harness.store.read(
                            new ExecutionKey(ctx.tenant(), ctx.execution())).get().orElseThrow().body());
                    seenByB.add(stored.step(0).status() + " " + stored.step(0).result() + " " + stored.step(1).status());
                    return "rb";
                })
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        long appendsBefore = harness.journal.appends();
        ExecutionId id = coordinator.start(saga, OWNER, "", null);
        assertTrue(harness.store.read(key(id)).get().isPresent(), "start returns once the store has the execution");
        assertEquals(SagaState.COMPLETED, finish(coordinator, id).state());
        assertEquals(List.of("SUCCEEDED ra RUNNING"), seenByB);
        assertEquals(3, harness.journal.appends() - appendsBefore, "one journal record per transition");
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameExecutionWithoutASecondRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        SagaDefinition once = SagaDefinition.builder("once", 1).step("a", ctx -> "" + runs.incrementAndGet()).build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId first = coordinator.start(once, OWNER, "", "same-key");
        ExecutionId second = coordinator.start(once, OWNER, "", "same-key");
        assertEquals(first, second);
        finish(coordinator, first);
        assertEquals(first, coordinator.start(once, OWNER, "", "same-key"));
        ExecutionId other = coordinator.start(once, OWNER, "", "other-key");
        assertNotEquals(first, other);
        finish(coordinator, other);
        assertEquals(2, runs.get());
    }

    @Test
    void aFailingStepIsRetriedUnderItsPolicyAndRecordsEachFailedAttempt() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        SagaDefinition flaky = SagaDefinition.builder("flaky", 1)
                .step("a", ctx -> {
                    calls.add("attempt " + ctx.attempt());
                    if (attempts.incrementAndGet() < 3) {
                        throw new IllegalStateException("transient " + ctx.attempt());
                    }
                    return "ok";
                }).retry(quickRetries(5))
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(flaky, OWNER, "", null);
        ExecutionView view = finish(coordinator, id);
        assertEquals(SagaState.COMPLETED, view.state());
        assertEquals(List.of("attempt 1", "attempt 2", "attempt 3"), calls);
        assertEquals(3, view.steps().getFirst().attempts());
        assertEquals("transient 2", view.steps().getFirst().lastError());
        List<SagaEvent> failures = coordinator.history(key(id)).stream()
                .filter(e -> e.type() == SagaEventType.STEP_FAILED).toList();
        assertEquals(2, failures.size());
        assertEquals(1, failures.get(0).attempt());
        assertEquals("transient 1", failures.get(0).detail());
        assertTrue(failures.get(0).retryAt() != null);
        eventually("health counts the failures",
                () -> Long.valueOf(2).equals(coordinator.health().details().get("failuresLastMinute")));
    }

    @Test
    void runningOutOfAttemptsCompensatesCompletedStepsInReverseOrder() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("rev", 1)
                .step("a", ctx -> "ra", undo("a"))
                .step("b", ctx -> "rb")
                .step("c", ctx -> "rc", undo("c"))
                .step("d", ctx -> {
                    throw new IllegalStateException("declined");
                }).retry(quickRetries(2))
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(saga, OWNER, "", null);
        ExecutionView view = finish(coordinator, id);
        assertEquals(SagaState.COMPENSATED, view.state());
        assertEquals(CompensationCause.STEP_FAILED, view.cause());
        assertEquals(List.of("undo c true", "undo a true"), calls);
        assertEquals(List.of(StepStatus.COMPENSATED, StepStatus.SUCCEEDED, StepStatus.COMPENSATED, StepStatus.FAILED),
                view.steps().stream().map(StepView::status).toList());
        assertEquals(2, view.steps().get(3).attempts());
        List<String> compensated = coordinator.history(key(id)).stream()
                .filter(e -> e.type() == SagaEventType.STEP_COMPENSATED).map(SagaEvent::step).toList();
        assertEquals(List.of("c", "a"), compensated);
    }

    @Test
    void aNonRetryableErrorEndsTheStepAtOnce() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("nr", 1)
                .step("a", ctx -> "ra", undo("a"))
                .step("b", ctx -> {
                    calls.add("b");
                    throw new IllegalArgumentException("bad input");
                }).retry(RetryPolicy.builder().maxAttempts(5).nonRetryable(IllegalArgumentException.class).build())
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionView view = finish(coordinator, coordinator.start(saga, OWNER, "", null));
        assertEquals(SagaState.COMPENSATED, view.state());
        assertEquals(List.of("b", "undo a true"), calls);
    }

    @Test
    void aStepThatTimesOutIsSignalledAndTheSagaCompensates() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        List<String> reasons = new CopyOnWriteArrayList<>();
        SagaDefinition saga = SagaDefinition.builder("slow", 1)
                .step("a", ctx -> "ra", undo("a"))
                .step("b", ctx -> {
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        reasons.add(ctx.cancellation().reason());
                        interrupted.countDown();
                    }
                    return "late";
                }).timeout(Duration.ofMillis(100)).retry(quickRetries(5))
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionView view = finish(coordinator, coordinator.start(saga, OWNER, "", null));
        assertEquals(SagaState.COMPENSATED, view.state());
        assertEquals(CompensationCause.STEP_TIMED_OUT, view.cause());
        assertEquals(1, view.steps().get(1).attempts(), "a timed-out attempt is not retried");
        assertTrue(interrupted.await(5, TimeUnit.SECONDS));
        assertTrue(reasons.getFirst().startsWith("timed out"));
        assertEquals(List.of("undo a true"), calls);
    }

    @Test
    void theDeadlineEndsTheForwardRunAndCompensates() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("deadline", 1)
                .step("a", ctx -> "ra", undo("a"))
                .step("b", ctx -> {
                    Thread.sleep(10_000);
                    return "never";
                })
                .deadline(Duration.ofMillis(300))
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionView view = finish(coordinator, coordinator.start(saga, OWNER, "", null));
        assertEquals(SagaState.COMPENSATED, view.state());
        assertEquals(CompensationCause.DEADLINE_EXCEEDED, view.cause());
        assertEquals(List.of("undo a true"), calls);
    }

    @Test
    void theDeadlineAlsoCutsARetryWaitShort() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("deadline-wait", 1)
                .step("a", ctx -> {
                    throw new IllegalStateException("down");
                }).retry(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofSeconds(30))
                        .maxBackoff(Duration.ofSeconds(30)).build())
                .deadline(Duration.ofMillis(200))
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionView view = finish(coordinator, coordinator.start(saga, OWNER, "", null));
        assertEquals(SagaState.COMPENSATED, view.state());
        assertEquals(CompensationCause.DEADLINE_EXCEEDED, view.cause());
        assertEquals(StepStatus.FAILED, view.steps().getFirst().status());
    }

    @Test
    void aCompensationIsRetriedUnderItsOwnPolicy() throws Exception {
        AtomicInteger undoAttempts = new AtomicInteger();
        SagaDefinition saga = SagaDefinition.builder("comp-retry", 1)
                .step("a", ctx -> "ra", ctx -> {
                    calls.add("undo a attempt " + ctx.attempt() + " sees " + ctx.result("a").orElseThrow());
                    if (undoAttempts.incrementAndGet() < 3) {
                        throw new IllegalStateException("refund api down");
                    }
                }).compensationRetry(quickRetries(5))
                .step("b", ctx -> {
                    throw new IllegalStateException("no");
                }).retry(RetryPolicy.noRetry())
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(saga, OWNER, "", null);
        ExecutionView view = finish(coordinator, id);
        assertEquals(SagaState.COMPENSATED, view.state());
        assertEquals(List.of("undo a attempt 1 sees ra", "undo a attempt 2 sees ra", "undo a attempt 3 sees ra"), calls);
        assertEquals(3, view.steps().getFirst().compensationAttempts());
        assertEquals(2, coordinator.history(key(id)).stream()
                .filter(e -> e.type() == SagaEventType.STEP_COMPENSATION_FAILED).count());
    }

    @Test
    void aCompensationThatRunsOutOfAttemptsEndsFailedNeverCompensated() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("comp-fail", 1)
                .step("a", ctx -> "ra", undo("a"))
                .step("b", ctx -> "rb", ctx -> {
                    throw new IllegalStateException("cannot refund");
                }).compensationRetry(quickRetries(2))
                .step("c", ctx -> {
                    throw new IllegalStateException("no");
                }).retry(RetryPolicy.noRetry())
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(saga, OWNER, "", null);
        ExecutionView view = finish(coordinator, id);
        assertEquals(SagaState.FAILED, view.state());
        assertTrue(view.error().contains("cannot refund"), view.error());
        assertEquals(StepStatus.COMPENSATION_FAILED, view.steps().get(1).status());
        assertEquals(StepStatus.SUCCEEDED, view.steps().get(0).status(), "compensation stops at the failed one");
        assertEquals(List.of(), calls);
        SagaEvent last = coordinator.history(key(id)).getLast();
        assertEquals(SagaEventType.FINISHED, last.type());
        assertEquals(SagaState.FAILED, last.state());
        eventually("health counts the failed saga", () -> Long.valueOf(1).equals(coordinator.health().details().get("failed")));
    }

    @Test
    void cancelInterruptsTheStepInFlightAndCompensatesTheCompletedOnes() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("cancel", 1)
                .step("a", ctx -> "ra", undo("a"))
                .step("b", ctx -> {
                    running.countDown();
                    while (!ctx.cancellation().isCancelled()) {
                        Thread.onSpinWait();
                    }
                    throw new IllegalStateException("gave up: " + ctx.cancellation().reason());
                }, undo("b"))
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(saga, OWNER, "", null);
        assertTrue(running.await(5, TimeUnit.SECONDS));
        ExecutionView afterCancel = coordinator.cancel(key(id));
        assertTrue(afterCancel.cancelRequested());
        ExecutionView view = finish(coordinator, id);
        assertEquals(SagaState.CANCELLED, view.state());
        assertEquals(CompensationCause.CANCELLED, view.cause());
        assertEquals(List.of("undo a true"), calls, "the interrupted step never completed, so it is not compensated");
        assertTrue(coordinator.history(key(id)).stream().anyMatch(e -> e.type() == SagaEventType.CANCEL_REQUESTED));
        assertEquals(SagaState.CANCELLED, coordinator.cancel(key(id)).state(), "cancel of a finished saga changes nothing");
    }

    @Test
    void aStepThatCompletesDespiteTheCancelIsCompensatedToo() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("cancel-late", 1)
                .step("a", ctx -> "ra", undo("a"))
                .step("b", ctx -> {
                    running.countDown();
                    release.await();
                    return "rb";
                }, undo("b"))
                .step("c", ctx -> "rc", undo("c"))
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(saga, OWNER, "", null);
        assertTrue(running.await(5, TimeUnit.SECONDS));
        coordinator.cancel(key(id));
        ExecutionView view = finish(coordinator, id);
        assertEquals(SagaState.CANCELLED, view.state());
        assertEquals(List.of("undo a true"), calls, "b was interrupted while waiting");
        release.countDown();
    }

    @Test
    void cancelDuringARetryWaitCompensatesAtOnce() throws Exception {
        CountDownLatch failedOnce = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("cancel-wait", 1)
                .step("a", ctx -> "ra", undo("a"))
                .step("b", ctx -> {
                    failedOnce.countDown();
                    throw new IllegalStateException("down");
                }).retry(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofSeconds(30))
                        .maxBackoff(Duration.ofSeconds(30)).build())
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(saga, OWNER, "", null);
        assertTrue(failedOnce.await(5, TimeUnit.SECONDS));
        eventually("b waits to retry", () -> coordinator.status(key(id)).steps().get(1).status() == StepStatus.RETRY_WAIT);
        coordinator.cancel(key(id));
        ExecutionView view = finish(coordinator, id);
        assertEquals(SagaState.CANCELLED, view.state());
        assertEquals(CompensationCause.CANCELLED, view.cause());
        assertEquals(List.of("undo a true"), calls);
    }

    @Test
    void subscribersGetEveryEventInOrderOnceAndACompletion() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("sub", 1)
                .step("a", ctx -> {
                    gate.await();
                    return "ra";
                })
                .step("b", ctx -> "rb")
                .build();
        SagaCoordinator coordinator = harness.start("r1");
        ExecutionId id = coordinator.start(saga, OWNER, "", null);
        List<SagaEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch completed = new CountDownLatch(1);
        SagaEventListener listener = new SagaEventListener() {
            @Override
            public void onEvent(SagaEvent event) {
                seen.add(event);
            }

            @Override
            public void onComplete() {
                completed.countDown();
            }
        };
        try (AutoCloseable ignored = coordinator.subscribe(key(id), listener)) {
            eventually("the first events arrive", () -> seen.size() >= 2);
            gate.countDown();
            assertTrue(completed.await(10, TimeUnit.SECONDS));
        }
        assertEquals(coordinator.history(key(id)), seen);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i).index());
        }
        List<SagaEvent> tail = new CopyOnWriteArrayList<>();
        CountDownLatch tailDone = new CountDownLatch(1);
        coordinator.subscribe(key(id), 4, new SagaEventListener() {
            @Override
            public void onEvent(SagaEvent event) {
                tail.add(event);
            }

            @Override
            public void onComplete() {
                tailDone.countDown();
            }
        });
        assertTrue(tailDone.await(5, TimeUnit.SECONDS));
        assertEquals(seen.subList(4, seen.size()), tail);
    }

    @Test
    void theConcurrencyLimitBoundsStepsInFlightAndQueuesTheRest() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("limited", 1)
                .step("a", ctx -> {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    release.await();
                    inFlight.decrementAndGet();
                    return null;
                })
                .build();
        SagaCoordinator coordinator = harness.start("r1", harness.journal, harness.store, b -> b.concurrency(3));
        List<ExecutionId> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(coordinator.start(saga, OWNER, "", null));
        }
        eventually("3 run and 5 queue", () -> inFlight.get() == 3
                && Integer.valueOf(5).equals(coordinator.health().details().get("queued")));
        assertEquals(3, coordinator.health().details().get("running"));
        release.countDown();
        for (ExecutionId id : ids) {
            assertEquals(SagaState.COMPLETED, finish(coordinator, id).state());
        }
        assertEquals(3, maxInFlight.get());
    }

    @Test
    void healthReportsTheSchedulerHeartbeatAndGoesDownOnClose() throws Exception {
        SagaCoordinator coordinator = harness.start("r1");
        eventually("health is published", () -> coordinator.health().status() == HealthStatus.UP);
        Map<String, Object> details = coordinator.health().details();
        assertTrue(coordinator.health().live());
        assertTrue((Long) details.get("heartbeatAgeMs") < 5_000);
        assertEquals(0, details.get("executionsInFlight"));
        assertEquals(0L, details.get("failuresLastMinute"));
        coordinator.close();
        assertEquals(HealthStatus.DOWN, coordinator.health().status());
        assertEquals("closed", coordinator.health().reason());
    }

    @Test
    void refusesWhatItCannotRun() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("small", 1).step("a", ctx -> null).build();
        harness.registry.register(saga);
        SagaCoordinator coordinator = harness.start("r1", harness.journal, harness.store, b -> b.maxInputBytes(10));
        assertThrows(UnknownSagaException.class, () -> coordinator.start("nope", OWNER, "", null));
        assertEquals("input", assertThrows(TooLargeException.class,
                () -> coordinator.start(saga, OWNER, "x".repeat(11), null)).field().orElseThrow());
        assertThrows(NotFoundException.class,
                () -> coordinator.status(new ExecutionKey(TenantId.of("other"), ExecutionId.generate())));
        ExecutionId id = coordinator.start("small", OWNER, "", null);
        finish(coordinator, id);
        assertThrows(NotFoundException.class,
                () -> coordinator.status(new ExecutionKey(TenantId.of("other-tenant"), id)),
                "another tenant never sees the execution");
        coordinator.drain(Instant.now().plusSeconds(1));
        assertThrows(UnavailableException.class, () -> coordinator.start(saga, OWNER, "", null));
        assertEquals(HealthStatus.DOWN, coordinator.health().status());
    }

    @Test
    void aResultOverTheLimitFailsTheStep() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("big", 1)
                .step("a", ctx -> "y".repeat(100)).retry(quickRetries(3))
                .build();
        SagaCoordinator coordinator = harness.start("r1", harness.journal, harness.store, b -> b.maxResultBytes(50));
        ExecutionView view = finish(coordinator, coordinator.start(saga, OWNER, "", null));
        assertEquals(SagaState.COMPENSATED, view.state());
        assertTrue(view.steps().getFirst().lastError().contains("limit is 50"));
    }

    @Test
    void aStartIsWrittenToTheStoreWhileItsJournalRecordIsMadeDurableAndReturnsOnceBothHold() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("overlap", 1).step("a", ctx -> "done").build();
        SagaCoordinator coordinator = harness.start("r1");
        CompletableFuture<ExecutionId> started = startStoredButNotJournaled(coordinator, saga, "overlap-key");

        assertFalse(started.isDone(), "start returned before its journal record was durable");
        harness.journal.releaseHeld();
        ExecutionId id = started.get(10, TimeUnit.SECONDS);
        assertEquals(SagaState.COMPLETED, finish(coordinator, id).state());
    }

    @Test
    void aJournalFailingAfterTheFirstWriteMakesTheStartUnknownAndTheExecutionRunsOnAnotherReplica() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("unknown", 1).step("a", ctx -> "done").build();
        SagaCoordinator first = harness.start("r1");
        CompletableFuture<ExecutionId> started = startStoredButNotJournaled(first, saga, "unknown-key");

        harness.journal.failHeld();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> started.get(10, TimeUnit.SECONDS));
        UnavailableException unknown = assertInstanceOf(UnavailableException.class, failed.getCause());
        assertTrue(unknown.getMessage().contains("may still run"), unknown.getMessage());

        // The execution reached the store: another replica finishes it, and a retry with the key finds it.
        SagaCoordinator second = harness.start("r2", new InMemoryJournal(), harness.store, b -> b);
        ExecutionId id = second.start(saga, OWNER, "", "unknown-key");
        assertEquals(SagaState.COMPLETED, finish(second, id).state());
    }

    /**
     * Starts a saga on a virtual thread while the journal holds durability back, and returns once its first
     * record has reached the store (the journal record still not durable).
     */
    private CompletableFuture<ExecutionId> startStoredButNotJournaled(SagaCoordinator coordinator, SagaDefinition saga,
                                                                      String idempotencyKey) throws InterruptedException {
        harness.journal.holdDurability();
        long writesBefore = harness.store.writes();
        CompletableFuture<ExecutionId> started = CompletableFuture.supplyAsync(
                () -> coordinator.start(saga, OWNER, "", idempotencyKey), Thread::startVirtualThread);
        eventually("the first record is in the store", () -> harness.store.writes() > writesBefore);
        return started;
    }

    @Test
    void aJournalThatCannotWriteStopsStartsAndTakesTheCoordinatorDown() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("j", 1).step("a", ctx -> null).build();
        SagaCoordinator coordinator = harness.start("r1");
        harness.journal.failAppends(true);
        RuntimePlaneException e = assertThrows(RuntimePlaneException.class,
                () -> coordinator.start(saga, OWNER, "", null));
        assertEquals(ErrorCode.DURABILITY_FAILURE, e.code());
        eventually("health goes down", () -> coordinator.health().status() == HealthStatus.DOWN);
        assertTrue(coordinator.health().reason().contains("journal"));
        assertFalse(coordinator.health().reason().isEmpty());
        assertNull(coordinator.health().details().get("nothing"));
    }
}
