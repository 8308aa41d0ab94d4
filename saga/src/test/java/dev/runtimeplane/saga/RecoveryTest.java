package dev.runtimeplane.saga;

import static dev.runtimeplane.saga.Harness.OWNER;
import static dev.runtimeplane.saga.Harness.eventually;
import static dev.runtimeplane.saga.Harness.finish;
import static dev.runtimeplane.saga.Harness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.DrainReport;
import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.FencedException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.ExecutionStore;
import dev.runtimeplane.core.port.Lease;
import dev.runtimeplane.saga.testing.ForwardingExecutionStore;
import dev.runtimeplane.saga.testing.InMemoryJournal;
import dev.runtimeplane.saga.testing.ProcessDeath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Crashes, restarts, adoption by another replica, fencing, drain and journal floors, on in-memory ports. */
class RecoveryTest {

    private final Harness harness = new Harness();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch blocked = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        harness.close();
    }

    /** a and b succeed; c blocks on the first attempt until released (a crash strikes while it runs). */
    private SagaDefinition blockingAtC() {
        return SagaDefinition.builder("blocking", 1)
                .step("a", ctx -> record("a", ctx), ctx -> calls.add("undo a"))
                .step("b", ctx -> record("b", ctx), ctx -> calls.add("undo b"))
                .step("c", ctx -> {
                    record("c", ctx);
                    if (ctx.attempt() == 1) {
                        blocked.countDown();
                        release.await();
                    }
                    return "rc";
                })
                .build();
    }

    /** Starts {@link #blockingAtC()} on replica r1, whose process dies while step c runs; returns the execution. */
    private ExecutionId crashWhileStepCRuns(UnaryOperator<SagaCoordinatorOptions.Builder> tweak, String input,
                                            String idempotencyKey) throws InterruptedException {
        ProcessDeath death = new ProcessDeath();
        SagaCoordinator doomed = harness.startDoomed("r1", death.journal(harness.journal), death.store(harness.store),
                tweak);
        ExecutionId id = doomed.start(blockingAtC(), OWNER, input, idempotencyKey);
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        death.kill();
        return id;
    }

    private String record(String step, StepContext ctx) {
        calls.add(step + "#" + ctx.attempt());
        return "r" + step;
    }

    @Test
    void aRestartRerunsTheStepThatWasInFlightAndNothingElse() throws Exception {
        ExecutionId id = crashWhileStepCRuns(b -> b, "in", "k");

        SagaCoordinator restarted = harness.start("r1");
        ExecutionView view = finish(restarted, id);
        assertEquals(SagaState.COMPLETED, view.state());
        assertEquals(List.of("a#1", "b#1", "c#1", "c#2"), calls);
        assertEquals(2, view.steps().get(2).attempts());
        List<SagaEvent> history = restarted.history(key(id));
        SagaEvent resumed = history.stream().filter(e -> e.type() == SagaEventType.RESUMED).findFirst().orElseThrow();
        assertTrue(resumed.detail().contains("after a restart"), resumed.detail());
        assertEquals(1, history.stream().filter(e -> e.type() == SagaEventType.STEP_SUCCEEDED
                && "a".equals(e.step())).count(), "each result is recorded once");
        assertEquals(id, restarted.start("blocking", OWNER, "in", "k"), "the key still maps to the execution");
    }

    @Test
    void aRestartContinuesACompensationInProgressInReverseOrder() throws Exception {
        CountDownLatch undoing = new CountDownLatch(1);
        CountDownLatch undoRelease = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("undo-crash", 1)
                .step("a", ctx -> "ra", ctx -> calls.add("undo a#" + ctx.attempt()))
                .step("b", ctx -> "rb", ctx -> {
                    calls.add("undo b#" + ctx.attempt());
                    if (ctx.attempt() == 1) {
                        undoing.countDown();
                        undoRelease.await();
                    }
                })
                .step("c", ctx -> {
                    throw new IllegalStateException("no");
                }).retry(RetryPolicy.noRetry())
                .build();
        ProcessDeath death = new ProcessDeath();
        SagaCoordinator doomed = harness.startDoomed("r1", death.journal(harness.journal), death.store(harness.store),
                b -> b);
        ExecutionId id = doomed.start(saga, OWNER, "", null);
        assertTrue(undoing.await(5, TimeUnit.SECONDS));
        death.kill();
        undoRelease.countDown();

        SagaCoordinator restarted = harness.start("r1");
        ExecutionView view = finish(restarted, id);
        assertEquals(SagaState.COMPENSATED, view.state());
        assertEquals(List.of("undo b#1", "undo b#2", "undo a#1"), calls);
        assertEquals(List.of("b", "a"), restarted.history(key(id)).stream()
                .filter(e -> e.type() == SagaEventType.STEP_COMPENSATED).map(SagaEvent::step).toList());
    }

    @Test
    void aJournaledTransitionTheStoreNeverGotIsWrittenOnRestart() throws Exception {
        ProcessDeath death = new ProcessDeath();
        // The store stops taking writes after the start: step a's result reaches only the journal, and the
        // driver waits for the store before it would run b.
        CountDownLatch stalledWrite = new CountDownLatch(1);
        ExecutionStore writesStall = new ForwardingExecutionStore(death.store(harness.store)) {
            @Override
            public CompletableFuture<Boolean> write(ExecutionRecord record, List<byte[]> events, Lease lease) {
                if (record.version() > 1) {
                    stalledWrite.countDown();
                    return new CompletableFuture<>();
                }
                return super.write(record, events, lease);
            }
        };
        SagaDefinition saga = SagaDefinition.builder("stalled", 1)
                .step("a", ctx -> record("a", ctx))
                .step("b", ctx -> record("b", ctx))
                .build();
        SagaCoordinator doomed = harness.startDoomed("r1", death.journal(harness.journal), writesStall, b -> b);
        ExecutionId id = doomed.start(saga, OWNER, "", null);
        eventually("a's result is journaled", () -> harness.journal.appends() >= 2);
        assertTrue(stalledWrite.await(30, TimeUnit.SECONDS), "a's result is being written to the store");
        assertEquals(List.of("a#1"), calls, "b waits until a's result is in the store");
        assertEquals(1, SnapshotCodec.decode(harness.store.read(key(id)).get().orElseThrow().body()).version());
        death.kill();

        SagaCoordinator restarted = harness.start("r1");
        ExecutionView view = finish(restarted, id);
        assertEquals(SagaState.COMPLETED, view.state());
        assertEquals(List.of("a#1", "b#2"), calls, "a was journaled, so it did not run again; b resumes as attempt 2");
        List<SagaEvent> history = restarted.history(key(id));
        for (int i = 0; i < history.size(); i++) {
            assertEquals(i, history.get(i).index(), "the rebuilt history has no gaps");
        }
        assertEquals(List.of("a", "b"), history.stream().filter(e -> e.type() == SagaEventType.STEP_SUCCEEDED)
                .map(SagaEvent::step).toList());
    }

    @Test
    void aStoreThatLostItsDataIsRebuiltFromTheJournal() throws Exception {
        ExecutionId id = crashWhileStepCRuns(b -> b.floorInterval(Duration.ofHours(1)), "", null);
        harness.store.loseData();

        SagaCoordinator restarted = harness.start("r1");
        assertEquals(SagaState.COMPLETED, finish(restarted, id).state());
        assertEquals(List.of("a#1", "b#1", "c#1", "c#2"), calls);
    }

    @Test
    void finishedExecutionsComeBackFromTheJournalWhenTheStoreLostThem() throws Exception {
        SagaDefinition quick = SagaDefinition.builder("quick", 1).step("a", ctx -> record("a", ctx)).build();
        SagaCoordinator coordinator = harness.start("r1");
        List<ExecutionId> finished = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            finished.add(coordinator.start(quick, OWNER, "", "key-" + i));
            finish(coordinator, finished.getLast());
        }
        long last = harness.journal.lastSequence();
        eventually("the floor passed the finished executions",
                () -> ((Number) coordinator.health().details().get("journalFloor")).longValue() > last);
        harness.store.loseData();

        assertEquals(5, coordinator.restoreStore());

        for (ExecutionId id : finished) {
            assertEquals(SagaState.COMPLETED, coordinator.status(key(id)).state());
            assertEquals(SagaEventType.FINISHED, coordinator.history(key(id)).getLast().type());
        }
        assertEquals(5, calls.size(), "nothing ran again: " + calls);
    }

    @Test
    void aJournaledExecutionOlderThanTheStoresRetentionIsNotResurrected() throws Exception {
        ExecutionId id = crashWhileStepCRuns(b -> b.floorInterval(Duration.ofHours(1)), "", null);
        // The store no longer has it, and the journal's copy is older than what the store keeps: another
        // replica may have finished it long ago and the store let the finished record expire.
        harness.store.loseData();
        Thread.sleep(20);

        SagaCoordinator restarted = harness.start("r1", harness.journal, harness.store,
                b -> b.storeRetention(Duration.ofMillis(10)));
        eventually("recovery is over", () -> Integer.valueOf(0).equals(restarted.health().details().get("recovering")));
        restarted.close(); // nothing can write after this, so what the store holds now is final
        assertTrue(harness.store.read(key(id)).get().isEmpty(), "nothing was written back to the store");
        assertEquals(List.of("a#1", "b#1", "c#1"), calls, "no step ran again");
    }

    @Test
    void anAcknowledgedStartSurvivesACrashRightAfterIt() throws Exception {
        ProcessDeath death = new ProcessDeath();
        SagaDefinition saga = SagaDefinition.builder("acked", 1).step("a", ctx -> record("a", ctx)).build();
        // Steps never get to run: the process dies as soon as start returns.
        SagaCoordinator doomed = harness.startDoomed("r1", death.journal(harness.journal), death.store(harness.store),
                b -> b.concurrency(1));
        harness.registry.register(saga);
        SagaDefinition hold = SagaDefinition.builder("hold", 1).step("h", ctx -> {
            blocked.countDown();
            release.await();
            return null;
        }).build();
        doomed.start(hold, OWNER, "", null);
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        ExecutionId id = doomed.start(saga, OWNER, "", null);
        death.kill();

        SagaCoordinator restarted = harness.start("r1");
        assertEquals(SagaState.COMPLETED, finish(restarted, id).state());
        assertEquals(List.of("a#2"), calls, "recorded as started with the first step, so the re-run is attempt 2");
    }

    @Test
    void aStartWhoseClaimNeverAnsweredIsResolvedByTheRestart() throws Exception {
        ProcessDeath death = new ProcessDeath();
        ExecutionStore claimsHang = new ForwardingExecutionStore(death.store(harness.store)) {
            @Override
            public CompletableFuture<ExecutionId> claimIdempotencyKey(TenantId tenant, SessionId session, String key,
                                                                      ExecutionId candidate, Duration ttl) {
                return new CompletableFuture<>();
            }
        };
        SagaDefinition saga = SagaDefinition.builder("claim", 1).step("a", ctx -> record("a", ctx)).build();
        SagaCoordinator doomed = harness.startDoomed("r1", death.journal(harness.journal), claimsHang,
                b -> b.storeTimeout(Duration.ofMillis(200)).startTimeout(Duration.ofMillis(300)));
        assertThrows(UnavailableException.class, () -> doomed.start(saga, OWNER, "", "the-key"));
        death.kill();

        SagaCoordinator restarted = harness.start("r1");
        ExecutionId id = restarted.start(saga, OWNER, "", "the-key");
        assertEquals(SagaState.COMPLETED, finish(restarted, id).state());
        Harness.eventually("the recovered start ran", () -> calls.size() == 1);
        restarted.close(); // nothing can run after this, so the count is final
        assertEquals(1, calls.size(), "one execution for the key: " + calls);
    }

    @Test
    void aStartWhoseLeaseExpiredBeforeItsFirstWriteStillRunsAndItsRetryFindsIt() throws Exception {
        AtomicBoolean away = new AtomicBoolean();
        AtomicBoolean outageOnFirstWrite = new AtomicBoolean(true);
        AtomicReference<ExecutionId> claimed = new AtomicReference<>();
        // The store goes away between the key's claim and the first write, for longer than the lease lasts.
        ExecutionStore flaky = new ForwardingExecutionStore(harness.store) {
            private <T> CompletableFuture<T> unlessAway(Supplier<CompletableFuture<T>> call) {
                return away.get() ? CompletableFuture.failedFuture(new UnavailableException("the store is away", null))
                        : call.get();
            }

            @Override
            public CompletableFuture<ExecutionId> claimIdempotencyKey(TenantId tenant, SessionId session, String key,
                                                                      ExecutionId candidate, Duration ttl) {
                claimed.compareAndSet(null, candidate);
                return unlessAway(() -> super.claimIdempotencyKey(tenant, session, key, candidate, ttl));
            }

            @Override
            public CompletableFuture<Optional<Lease>> acquireLease(ExecutionKey execution, String owner, Duration ttl) {
                return unlessAway(() -> super.acquireLease(execution, owner, ttl));
            }

            @Override
            public CompletableFuture<Boolean> renewLease(Lease lease, Duration ttl) {
                return unlessAway(() -> super.renewLease(lease, ttl));
            }

            @Override
            public CompletableFuture<Boolean> write(ExecutionRecord record, List<byte[]> newEvents, Lease lease) {
                if (outageOnFirstWrite.compareAndSet(true, false)) {
                    away.set(true);
                }
                return unlessAway(() -> super.write(record, newEvents, lease));
            }

            @Override
            public CompletableFuture<Optional<ExecutionRecord>> read(ExecutionKey execution) {
                return unlessAway(() -> super.read(execution));
            }
        };
        SagaDefinition saga = SagaDefinition.builder("expired", 1).step("a", ctx -> record("a", ctx)).build();
        SagaCoordinator coordinator = harness.start("r1", harness.journal, flaky,
                b -> b.startTimeout(Duration.ofMillis(500)));

        assertThrows(UnavailableException.class, () -> coordinator.start(saga, OWNER, "", "the-key"));
        ExecutionKey first = key(claimed.get());
        eventually("the start's lease expired", () -> harness.store.currentLease(first)
                .map(lease -> lease.expiresAt().isBefore(Instant.now())).orElse(false));
        away.set(false);

        ExecutionId retried = coordinator.start(saga, OWNER, "", "the-key");
        assertEquals(first.execution(), retried, "the key still names the first start");
        assertEquals(SagaState.COMPLETED, finish(coordinator, retried).state());
        assertEquals(List.of("a#1"), calls);
    }

    @Test
    void aStartDroppedBeforeItsFirstWriteIsStartedByARetryOnAnotherReplica() throws Exception {
        ProcessDeath death = new ProcessDeath();
        AtomicReference<ExecutionId> claimed = new AtomicReference<>();
        ExecutionStore diesAtTheFirstWrite = new ForwardingExecutionStore(death.store(harness.store)) {
            @Override
            public CompletableFuture<ExecutionId> claimIdempotencyKey(TenantId tenant, SessionId session, String key,
                                                                      ExecutionId candidate, Duration ttl) {
                claimed.compareAndSet(null, candidate);
                return super.claimIdempotencyKey(tenant, session, key, candidate, ttl);
            }

            @Override
            public CompletableFuture<Boolean> write(ExecutionRecord record, List<byte[]> newEvents, Lease lease) {
                death.kill();
                return super.write(record, newEvents, lease);
            }
        };
        SagaDefinition saga = SagaDefinition.builder("dropped", 1).step("a", ctx -> record("a", ctx)).build();
        SagaCoordinator doomed = harness.startDoomed("r1", death.journal(harness.journal), diesAtTheFirstWrite,
                b -> b.startTimeout(Duration.ofMillis(300)));
        assertThrows(UnavailableException.class, () -> doomed.start(saga, OWNER, "", "the-key"));
        // r1 never comes back; the key is bound to its execution, which is in no store.

        SagaCoordinator other = harness.start("r2", new InMemoryJournal(), harness.store, b -> b);
        ExecutionId retried = null;
        while (retried == null) { // UNAVAILABLE while r1's lease on the execution lasts
            try {
                retried = other.start(saga, OWNER, "", "the-key");
            } catch (UnavailableException e) {
                Thread.sleep(100);
            }
        }
        assertEquals(claimed.get(), retried, "the retry runs the execution the key names");
        assertEquals(SagaState.COMPLETED, finish(other, retried).state());
        assertEquals(List.of("a#1"), calls);
    }

    @Test
    void anotherReplicaAdoptsADeadReplicasExecutionsAfterTheLeaseExpiresAndFencesItsStaleLease() throws Exception {
        ProcessDeath death = new ProcessDeath();
        SagaCoordinator doomed = harness.startDoomed("replica-a", death.journal(harness.journal),
                death.store(harness.store), b -> b);
        ExecutionId id = doomed.start(blockingAtC(), OWNER, "", null);
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        Lease stale = harness.store.currentLease(key(id)).orElseThrow();
        death.kill();

        Instant killedAt = Instant.now();
        SagaCoordinator survivor = harness.start("replica-b", new InMemoryJournal(), harness.store, b -> b);
        ExecutionView view = finish(survivor, id);
        assertEquals(SagaState.COMPLETED, view.state());
        assertTrue(Duration.between(killedAt, Instant.now()).toMillis() >= 1_000, "adopted only after the lease expired");
        assertEquals("replica-b", view.owner());
        assertTrue(survivor.history(key(id)).stream().anyMatch(e -> e.type() == SagaEventType.RESUMED
                && e.detail().equals("adopted by replica-b from replica-a")));
        assertEquals(List.of("a#1", "b#1", "c#1", "c#2"), calls);

        ExecutionRecord current = harness.store.read(key(id)).get().orElseThrow();
        ExecutionRecord staleWrite = new ExecutionRecord(current.tenant(), current.session(), current.execution(),
                current.version() + 10, "RUNNING", false, current.labels(), current.body());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> harness.store.write(staleWrite, List.of(), stale).get());
        assertInstanceOf(FencedException.class, e.getCause());
    }

    @Test
    void aPausedReplicaThatWakesUpAfterTakeoverIsFencedAndStops() throws Exception {
        // Replica a believes its renewals succeed (a long GC pause looks the same): its lease expires unseen.
        ExecutionStore lyingRenewals = new ForwardingExecutionStore(harness.store) {
            @Override
            public CompletableFuture<Boolean> renewLease(Lease lease, Duration ttl) {
                return CompletableFuture.completedFuture(true);
            }
        };
        SagaCoordinator zombie = harness.start("replica-a", new InMemoryJournal(), lyingRenewals, b -> b);
        ExecutionId id = zombie.start(blockingAtC(), OWNER, "", null);
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        SagaCoordinator survivor = harness.start("replica-b", new InMemoryJournal(), harness.store, b -> b);
        assertEquals(SagaState.COMPLETED, finish(survivor, id).state());
        long fencedBefore = harness.store.fencedWrites();
        release.countDown();
        eventually("the zombie's write is fenced", () -> harness.store.fencedWrites() > fencedBefore);
        ExecutionView view = survivor.status(key(id));
        assertEquals(SagaState.COMPLETED, view.state());
        assertEquals("replica-b", view.owner());
        eventually("the zombie stops driving it",
                () -> Integer.valueOf(0).equals(zombie.health().details().get("executionsInFlight")));
        assertEquals(1L, zombie.health().details().get("lost"));
    }

    @Test
    void aCancelSentToAnotherReplicaIsHandedToTheOneThatDrivesTheExecution() throws Exception {
        SagaCoordinator owner = harness.start("replica-a", new InMemoryJournal(), harness.store, b -> b);
        SagaCoordinator other = harness.start("replica-b", new InMemoryJournal(), harness.store, b -> b);
        ExecutionId id = owner.start(blockingAtC(), OWNER, "", null);
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        assertTrue(other.cancel(key(id)).cancelRequested(), "answered once the owner recorded it");
        assertTrue(owner.status(key(id)).cancelRequested());
        assertEquals("replica-a", owner.status(key(id)).owner(), "the owner keeps driving it");
        release.countDown();
        ExecutionView view = finish(owner, id);
        assertEquals(SagaState.CANCELLED, view.state());
        assertEquals(List.of("a#1", "b#1", "c#1", "undo b", "undo a"), calls);
    }

    @Test
    void drainParksWhatIsStillRunningAndAnotherReplicaResumesItAtOnce() throws Exception {
        SagaCoordinator first = harness.start("replica-a", new InMemoryJournal(), harness.store,
                b -> b.leaseTtl(Duration.ofMinutes(5)));
        ExecutionId id = first.start(blockingAtC(), OWNER, "", null);
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        DrainReport report = first.drain(Instant.now().plusMillis(200));
        assertEquals(new DrainReport(0, 1), report);
        assertTrue(harness.store.currentLease(key(id)).isEmpty(), "the parked execution's lease is released");

        SagaCoordinator second = harness.start("replica-b", new InMemoryJournal(), harness.store,
                b -> b.leaseTtl(Duration.ofMinutes(5)));
        assertEquals(SagaState.COMPLETED, finish(second, id).state());
        assertEquals(List.of("a#1", "b#1", "c#1", "c#2"), calls);
    }

    @Test
    void drainLetsShortWorkFinish() throws Exception {
        SagaCoordinator coordinator = harness.start("r1");
        SagaDefinition quick = SagaDefinition.builder("quick", 1).step("a", ctx -> {
            Thread.sleep(100);
            return null;
        }).build();
        ExecutionId id = coordinator.start(quick, OWNER, "", null);
        DrainReport report = coordinator.drain(Instant.now().plusSeconds(5));
        assertEquals(new DrainReport(1, 0), report);
        assertEquals(SagaState.COMPLETED, coordinator.status(key(id)).state());
    }

    @Test
    void theFloorFollowsFinishedWorkAndARestartAfterItFindsNothingToRecover() throws Exception {
        SagaDefinition quick = SagaDefinition.builder("quick", 1).step("a", ctx -> "x").step("b", ctx -> "y").build();
        // Finished executions stay in the journal for the store's retention (to rebuild a store that lost them).
        SagaCoordinator coordinator = harness.start("r1", harness.journal, harness.store,
                b -> b.storeRetention(Duration.ofMillis(1)));
        for (int i = 0; i < 20; i++) {
            finish(coordinator, coordinator.start(quick, OWNER, "", null));
        }
        eventually("the floor passes every finished saga",
                () -> harness.journal.floorSequence() > harness.journal.lastSequence() - 2);
        assertTrue(harness.journal.retained() <= 2, "retained " + harness.journal.retained());
        coordinator.close();
        SagaCoordinator restarted = harness.start("r1");
        eventually("health is published", () -> restarted.health().details().get("recovering") != null);
        assertEquals(0L, restarted.health().details().get("recovered"));
    }

    @Test
    void aLongRunningStepDoesNotPinTheJournal() throws Exception {
        SagaDefinition quick = SagaDefinition.builder("quick", 1).step("a", ctx -> "x").build();
        SagaCoordinator coordinator = harness.start("r1", harness.journal, harness.store,
                b -> b.carryAfterRecords(10).storeRetention(Duration.ofMillis(1)));
        ExecutionId slow = coordinator.start(blockingAtC(), OWNER, "", null);
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 30; i++) {
            finish(coordinator, coordinator.start(quick, OWNER, "", null));
        }
        eventually("the floor moves past the slow saga's old records",
                () -> harness.journal.floorSequence() > harness.journal.lastSequence() - 12);
        release.countDown();
        assertEquals(SagaState.COMPLETED, finish(coordinator, slow).state());
        coordinator.close();
        calls.clear();
        SagaCoordinator restarted = harness.start("r1");
        assertNotEquals(null, restarted.status(key(slow)));
        assertEquals(List.of(), calls, "nothing re-ran after the restart");
    }
}
