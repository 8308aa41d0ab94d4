package dev.runtimeplane.saga;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.DrainReport;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.error.OverloadedException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.TooLargeException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.ExecutionStore;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.Lease;
import dev.runtimeplane.core.port.ReplicaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sagas durably: every transition is journaled (and durable) before it takes effect and is then
 * written to the shared state store under a fenced lease. On {@link #start()} it resumes the executions
 * this replica's journal holds, then keeps adopting executions whose owner's lease expired.
 *
 * <p>See saga/README.md for the state machine, the durability protocol, recovery and takeover.
 */
public final class SagaCoordinator implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(SagaCoordinator.class);
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 256;
    private static final Duration OVERLOADED_RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration HEALTH_INTERVAL = Duration.ofMillis(500);
    /** A start, then at most a start of the execution its key is bound to, then one more if the key moved again. */
    private static final int MAX_START_ATTEMPTS = 3;
    /** How many executions {@link #restoreStore()} writes back at once. */
    private static final int RESTORE_PARALLELISM = 64;

    private final SagaRuntime runtime;
    private final Takeover takeover;
    private final CoordinatorHealth health;
    private final SagaFloorKeeper floorKeeper;
    private final ReplicaRegistration registration;
    private final OperatorActions actions;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();
    private volatile CoordinatorHealth.Phase phase;
    private volatile boolean accepting;
    private boolean started;
    private volatile boolean closed;

    /**
     * A coordinator that does not check that its replica id is used by this process only (tests, or a
     * single process per store); see {@link #SagaCoordinator(SagaRegistry, Journal, ExecutionStore,
     * ReplicaRegistry, SagaCoordinatorOptions)}.
     */
    public SagaCoordinator(SagaRegistry registry, Journal journal, ExecutionStore store,
                           SagaCoordinatorOptions options) {
        this(registry, journal, store, null, options);
    }

    /**
     * A coordinator that holds its replica id in {@code replicas} while it runs: {@link #start()} refuses
     * (CONFLICT) when another running process holds the id, and a coordinator whose id another process
     * takes later stops driving work and reports itself not live.
     */
    public SagaCoordinator(SagaRegistry registry, Journal journal, ExecutionStore store, ReplicaRegistry replicas,
                           SagaCoordinatorOptions options) {
        this.runtime = new SagaRuntime(options, registry, journal, store);
        this.takeover = new Takeover(runtime);
        this.health = new CoordinatorHealth(runtime);
        this.floorKeeper = new SagaFloorKeeper(runtime);
        this.registration = replicas == null ? null : new ReplicaRegistration(runtime, replicas, this::replicaIdTaken);
        this.actions = new OperatorActions(runtime, takeover);
    }

    @Override
    public String name() {
        return CoordinatorHealth.NAME;
    }

    /**
     * Claims the replica id (waiting at most one lease TTL for a killed predecessor's claim to lapse, and
     * for the store to answer), replays the journal and resumes (in the background) every execution it
     * holds that is not finished, then starts accepting sagas and adopting executions of dead replicas.
     *
     * @throws RuntimePlaneException CONFLICT when another running process holds this replica id
     */
    @Override
    public void start() {
        if (registration != null) {
            // Not under the lock: it may wait (for the store, or a lapsing claim) and close() must not.
            try {
                registration.claimAtStart(() -> !closed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while claiming the replica id", e);
            }
        }
        recoverAndRun();
    }

    private synchronized void recoverAndRun() {
        if (started) {
            throw new IllegalStateException("the saga coordinator was already started");
        }
        if (closed) {
            throw new UnavailableException("the saga coordinator was closed while starting", null);
        }
        started = true;
        Map<ExecutionKey, JournalReplay.Recovered> recovered = JournalReplay.read(runtime.journal,
                floorKeeper.retention());
        floorKeeper.retention().note(runtime.nowMillis(), runtime.journal.lastSequence() + 1);
        for (JournalReplay.Recovered execution : recovered.values()) {
            runtime.takingOver.add(execution.latest().key());
            runtime.recovering.put(execution.latest().key(), execution);
        }
        LOG.info("saga coordinator {} recovering {} executions from its journal", runtime.options.replicaId(),
                recovered.size());
        phase = CoordinatorHealth.Phase.RUNNING;
        for (JournalReplay.Recovered execution : recovered.values()) {
            runtime.virtualThreads.execute(() -> {
                try {
                    takeover.recover(execution, () -> phase == CoordinatorHealth.Phase.RUNNING);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.error("recovering execution {} failed", execution.latest().key().execution(), e);
                }
            });
        }
        accepting = true;
        SagaCoordinatorOptions options = runtime.options;
        Adopter adopter = new Adopter(runtime, takeover, () -> phase == CoordinatorHealth.Phase.RUNNING);
        StoreConfirmer confirmer = new StoreConfirmer(runtime, takeover, () -> phase == CoordinatorHealth.Phase.RUNNING);
        LeaseKeeper leaseKeeper = new LeaseKeeper(runtime);
        every(options.heartbeatInterval(), this::beat);
        every(options.leaseRenewInterval(), leaseKeeper);
        if (registration != null) {
            every(options.leaseRenewInterval(), registration::run);
        }
        every(options.cancelPollInterval(), new CancelInbox(runtime, actions));
        every(options.adoptionInterval(), () -> runtime.virtualThreads.execute(adopter));
        every(options.adoptionInterval(), () -> runtime.virtualThreads.execute(confirmer));
        every(options.floorInterval(), () -> runtime.virtualThreads.execute(floorKeeper));
        beat();
    }

    @Override
    public HealthSnapshot health() {
        return health.get();
    }

    /** Executions of {@code tenant} this replica holds now (running, queued, waiting, starting): for per-tenant admission. */
    public int executionsHeld(TenantId tenant) {
        return runtime.live.heldFor(tenant);
    }

    /** Starts the latest registered version of {@code definitionName}; see {@link #start(SagaDefinition, SagaOwner, String, String)}. */
    public ExecutionId start(String definitionName, SagaOwner owner, String input, String idempotencyKey) {
        return start(runtime.registry.latest(definitionName), owner, input, idempotencyKey);
    }

    /**
     * Starts an execution of {@code definition} (registering it if it is not yet) and returns its id
     * once its start is durable in the journal, its idempotency key (if any) is claimed and its first
     * snapshot is in the store (so every replica can see and adopt it). A repeat with the same key (also
     * after a crash, also on another replica) returns the execution the key was first given to and starts
     * nothing. Blocks the calling thread (use a virtual thread).
     *
     * @throws UnavailableException when draining, or when the store cannot confirm the start in time
     *                              (retry with the same idempotency key: it is safe)
     * @throws OverloadedException  at once, when this replica already holds {@code maxExecutions} executions
     *                              (nothing was started)
     */
    public ExecutionId start(SagaDefinition definition, SagaOwner owner, String input, String idempotencyKey) {
        requireAccepting();
        validateStart(owner, input, idempotencyKey);
        runtime.registry.register(definition);
        long deadline = runtime.clock.nanoTime() + runtime.options.startTimeout().toNanos();
        try {
            ExecutionId id = ExecutionId.generate();
            for (int attempt = 0; attempt < MAX_START_ATTEMPTS; attempt++) {
                ExecutionId bound = launchStart(definition, owner, input, idempotencyKey, id, deadline);
                if (bound.equals(id) || existsOrSettles(new ExecutionKey(owner.tenant(), bound), deadline)) {
                    return bound;
                }
                // The key belongs to an earlier start of this intent that never reached the store (its
                // replica died or gave up before the first write): this start runs it, under its id.
                LOG.info("idempotency key of execution {} is bound, but the execution is not in the store; starting it",
                        bound);
                id = bound;
            }
            throw new UnavailableException("the idempotency key changed hands while starting", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while starting a saga", e);
        } catch (UnavailableException e) {
            throw new UnavailableException("the saga's start could not be confirmed (" + e.getMessage()
                    + "); retrying with the same idempotency key is safe", e.retryAfter(), e);
        }
    }

    /**
     * Journals the start of execution {@code id} and lets its driver take the lease, claim the key and write
     * the first snapshot; returns {@code id} once it is in the store, or the execution the key is bound to.
     */
    private ExecutionId launchStart(SagaDefinition definition, SagaOwner owner, String input, String idempotencyKey,
                                    ExecutionId id, long deadlineNanos) throws InterruptedException {
        ExecutionKey key = new ExecutionKey(owner.tenant(), id);
        long sentAt = runtime.clock.nanoTime();
        Transition first = SagaStateMachine.start(definition, owner, key, input, idempotencyKey,
                runtime.options.replicaId(), runtime.nowMillis());
        LiveExecution execution = runtime.newLive(definition, first.next(), null, sentAt, 0);
        LiveExecution held = runtime.live.admit(key, execution);
        if (held == null) {
            throw new OverloadedException("this replica holds " + runtime.live.limit()
                    + " executions, its limit; retry later or on another replica", OVERLOADED_RETRY_AFTER);
        }
        if (held != execution) { // being started here by a concurrent retry: wait for that one
            return Failures.await(held.accepted(), remaining(deadlineNanos), "confirming the start");
        }
        // The lease and the key's binding are only needed for the first store write: both are requested now
        // and granted while the first record is journaled; the driver writes it as soon as they are. A key
        // bound before its start is journaled is harmless: a retry that finds its execution nowhere runs it
        // under that id (see start).
        CompletableFuture<Optional<Lease>> leasing = runtime.store.acquireLease(key, runtime.options.replicaId(),
                runtime.leaseTtl());
        CompletableFuture<ExecutionId> claiming = idempotencyKey == null ? null
                : runtime.store.claimIdempotencyKey(owner.tenant(), owner.session(), idempotencyKey, id,
                runtime.options.idempotencyTtl());
        FirstWrite firstWrite = new FirstWrite();
        try {
            runtime.committer.journalFirst(execution, first, encoded -> runtime.launch(execution,
                    new ExecutionDriver.NewStart(encoded, firstWrite, leasing, claiming, sentAt)));
        } catch (DriverStopped stopped) {
            if (firstWrite.journalFailed()) { // the driver parks it; once its lease is free it may run elsewhere
                throw new UnavailableException("the journal failed while the start was being written to the store,"
                        + " so it may still run", null);
            }
            runtime.live.remove(key, execution);
            leasing.thenAccept(lease -> lease.ifPresent(runtime.store::releaseLease));
            throw new RuntimePlaneException(ErrorCode.DURABILITY_FAILURE,
                    "the saga could not be started: the journal cannot make it durable");
        }
        firstWrite.journaled();
        runtime.started.increment();
        return Failures.await(execution.accepted(), remaining(deadlineNanos), "confirming the start");
    }

    /**
     * True when the execution a key is bound to is in the store, or is being started on this replica and
     * gets there before the deadline; false when it is nowhere (so the caller starts it).
     */
    private boolean existsOrSettles(ExecutionKey key, long deadlineNanos) throws InterruptedException {
        if (Failures.await(runtime.store.read(key), remaining(deadlineNanos), "reading an execution").isPresent()) {
            return true;
        }
        if (runtime.takingOver.contains(key)) {
            throw new UnavailableException("execution " + key.execution() + " is being recovered", null);
        }
        LiveExecution starting = runtime.live.get(key); // a start here whose first write has not landed yet
        if (starting != null) {
            Failures.await(starting.accepted(), remaining(deadlineNanos), "confirming the start");
            return true;
        }
        return false;
    }

    private Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1, deadlineNanos - runtime.clock.nanoTime()));
    }

    /**
     * Gives a state store that lost its data (Redis restarted empty) back what this replica's journal holds:
     * every execution it drove that is running or finished within {@code storeRetention}, with its history,
     * idempotency key and index entries. The executions driven here are stopped first (the store lost their
     * leases, so each of their writes would be fenced) and resume from the journal like after a restart; an
     * attempt in flight runs again. Idempotent (versioned writes); another replica's newer state is kept.
     * Blocks until done (call it on a virtual thread) and returns how many executions were looked at.
     */
    public int restoreStore() {
        requireStarted();
        List<LiveExecution> driven = new ArrayList<>(runtime.live.values());
        for (LiveExecution execution : driven) {
            execution.stop(LiveExecution.StopReason.PARKED);
        }
        Instant until = Instant.now().plus(runtime.options.storeTimeout().multipliedBy(2));
        while (driven.stream().anyMatch(e -> runtime.live.get(e.key()) == e) && Instant.now().isBefore(until)
                && sleepBriefly()) {
            // the drivers are exiting
        }
        Map<ExecutionKey, JournalReplay.Recovered> journaled = JournalReplay.readAll(runtime.journal);
        List<CompletableFuture<Void>> restoring = new ArrayList<>();
        Semaphore inFlight = new Semaphore(RESTORE_PARALLELISM);
        for (JournalReplay.Recovered execution : journaled.values()) {
            ExecutionKey key = execution.latest().key();
            if (runtime.live.containsKey(key) || !runtime.takingOver.add(key)) {
                continue; // started since, or being taken over already
            }
            runtime.recovering.put(key, execution);
            inFlight.acquireUninterruptibly();
            restoring.add(CompletableFuture.runAsync(() -> {
                try {
                    takeover.recover(execution, () -> phase == CoordinatorHealth.Phase.RUNNING);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.release();
                }
            }, runtime.virtualThreads));
        }
        CompletableFuture.allOf(restoring.toArray(CompletableFuture[]::new)).join();
        LOG.info("restored {} executions from the journal into the state store", restoring.size());
        return restoring.size();
    }

    /**
     * A client's cancel: a running execution compensates its completed steps in reverse order (the step in
     * flight is signalled and interrupted; if it still completes, it is compensated too). Idempotent; a
     * compensating or finished execution is returned unchanged. Works from any replica: an execution another
     * live replica drives is handed to it through the store, and this returns once it has recorded the
     * cancel (within about its {@code cancelPollInterval}).
     *
     * @throws UnavailableException when the driving replica did not confirm the cancel in time (retry)
     */
    public ExecutionView cancel(ExecutionKey key) {
        return act(() -> actions.cancel(key, null));
    }

    /** An operator's cancel, as {@link #cancel(ExecutionKey)} but recorded with {@code note}; CONFLICT unless RUNNING. */
    public ExecutionView cancel(ExecutionKey key, OperatorNote note) {
        return act(() -> actions.cancel(key, Objects.requireNonNull(note, "note")));
    }

    /**
     * Retries a FAILED execution's compensation from the step whose compensation gave up, then the steps
     * below it in reverse; this replica drives it. {@link StateConflictException} unless FAILED;
     * UNKNOWN_TYPE when its definition version is not registered.
     */
    public ExecutionView retryCompensation(ExecutionKey key, OperatorNote note) {
        return act(() -> actions.retryCompensation(key, note));
    }

    /** Marks a FAILED execution handled by hand: RESOLVED, with the note. {@link StateConflictException} unless FAILED. */
    public ExecutionView resolve(ExecutionKey key, OperatorNote note) {
        return act(() -> actions.resolve(key, note));
    }

    /**
     * Adopts a RUNNING or COMPENSATING execution that no replica drives (e.g. its definition version was
     * registered only now) and drives it here. {@link StateConflictException} when it is finished or driven;
     * UNKNOWN_TYPE when its version is still not registered here.
     */
    public ExecutionView redrive(ExecutionKey key, OperatorNote note) {
        return act(() -> actions.redrive(key, note));
    }

    private ExecutionView act(Action action) {
        requireStarted();
        try {
            return action.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while acting on an execution", e);
        }
    }

    private interface Action {
        ExecutionView run() throws InterruptedException;
    }

    /** The replica holding the execution's lease now (driving it), if any. */
    public Optional<String> leaseHolder(ExecutionKey key) {
        requireStarted();
        return runtime.awaitStore(runtime.store.leaseHolder(key), "reading a lease");
    }

    /**
     * The execution's current state: the newer of the store's and this replica's own view (the live
     * snapshot of an execution it drives, or its journal's while recovering it). Both are needed: a
     * transition's store write may land before its journal append takes effect in memory (so the store
     * is ahead, and the history a client follows already shows it), and a start or a recovery is known
     * here before the store has it. Never older than what the history has shown.
     */
    public ExecutionView status(ExecutionKey key) {
        requireStarted();
        ExecutionSnapshot local = localSnapshot(key);
        if (local == null) {
            return runtime.readSnapshot(key).view();
        }
        try {
            Optional<ExecutionRecord> stored = runtime.awaitStore(runtime.store.read(key), "reading an execution");
            if (stored.isPresent()) {
                ExecutionSnapshot inStore = SnapshotCodec.decode(stored.get().body());
                return (inStore.newerThan(local) ? inStore : local).view();
            }
        } catch (UnavailableException e) {
            // the store is away: this replica's own view is the best there is
        }
        return local.view();
    }

    private ExecutionSnapshot localSnapshot(ExecutionKey key) {
        LiveExecution execution = runtime.live.get(key);
        if (execution != null) {
            return execution.snapshot();
        }
        JournalReplay.Recovered recovering = runtime.recovering.get(key);
        return recovering != null ? recovering.latest() : null;
    }

    /** The execution's history, oldest first, as stored. */
    public List<SagaEvent> history(ExecutionKey key) {
        requireStarted();
        List<byte[]> encoded = runtime.awaitStore(runtime.store.events(key, 0), "reading an execution's history");
        if (encoded.isEmpty()) {
            runtime.readSnapshot(key);
        }
        List<SagaEvent> events = new ArrayList<>(encoded.size());
        for (byte[] bytes : encoded) {
            events.add(EventCodec.decode(bytes));
        }
        return events;
    }

    /** Subscribes to the execution's whole history; see {@link #subscribe(ExecutionKey, long, SagaEventListener)}. */
    public AutoCloseable subscribe(ExecutionKey key, SagaEventListener listener) {
        return subscribe(key, 0, listener);
    }

    /**
     * Delivers the execution's events from {@code fromIndex} on (past ones first, then new ones as they
     * are stored), in order and each once, until FINISHED or until the returned handle is closed.
     */
    public AutoCloseable subscribe(ExecutionKey key, long fromIndex, SagaEventListener listener) {
        requireStarted();
        if (fromIndex < 0) {
            throw new InvalidArgumentException("fromIndex", "fromIndex must not be negative, was " + fromIndex);
        }
        if (!runtime.live.containsKey(key) && !runtime.recovering.containsKey(key)) {
            runtime.readSnapshot(key);
        }
        return runtime.hub.subscribe(key, fromIndex, listener);
    }

    /** Completes with the final view once the execution is terminal (and stored), wherever it runs. */
    public CompletableFuture<ExecutionView> whenFinished(ExecutionKey key) {
        requireStarted();
        LiveExecution execution = runtime.live.get(key);
        if (execution != null) {
            return execution.finished().exceptionallyCompose(e -> finishedViaHistory(key));
        }
        return finishedViaHistory(key);
    }

    private CompletableFuture<ExecutionView> finishedViaHistory(ExecutionKey key) {
        CompletableFuture<ExecutionView> result = new CompletableFuture<>();
        AutoCloseable subscription = subscribe(key, 0, new SagaEventListener() {
            @Override
            public void onEvent(SagaEvent event) {
            }

            @Override
            public void onComplete() {
                runtime.virtualThreads.execute(() -> {
                    try {
                        // From the store, like the events: a live snapshot may still wait for its journal append.
                        result.complete(runtime.readSnapshot(key).view());
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
            }

            @Override
            public void onError(Throwable error) {
                result.completeExceptionally(error);
            }
        });
        result.whenComplete((view, error) -> closeQuietly(subscription));
        return result;
    }

    /**
     * Refuses new sagas, stops adopting, lets in-flight executions run until {@code deadline}, then parks
     * the rest: their attempts are interrupted (and run again wherever they resume), their latest state is
     * flushed to the store and their leases released so another replica adopts them at once.
     */
    @Override
    public DrainReport drain(Instant deadline) {
        synchronized (this) {
            if (!started || closed) {
                return DrainReport.NOTHING_IN_FLIGHT;
            }
            accepting = false;
            if (phase != CoordinatorHealth.Phase.REPLICA_ID_TAKEN) {
                phase = CoordinatorHealth.Phase.DRAINING;
            }
        }
        publishHealth();
        int inFlight = runtime.live.size();
        waitForNoneLive(deadline);
        List<LiveExecution> remaining = new ArrayList<>(runtime.live.values());
        for (LiveExecution execution : remaining) {
            execution.stop(LiveExecution.StopReason.PARKED);
        }
        waitForNoneLive(Instant.now().plus(runtime.options.storeTimeout()));
        int parked = remaining.size();
        LOG.info("saga coordinator drained: {} finished, {} parked", Math.max(0, inFlight - parked), parked);
        return new DrainReport(Math.max(0, inFlight - parked), parked);
    }

    /** Parks whatever is still in flight (see {@link #drain}) and stops the background work. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            accepting = false;
        }
        if (started && !runtime.live.isEmpty()) { // after a drain (the SIGTERM sequence) usually nothing is left
            drain(Instant.now());
        }
        synchronized (this) {
            closed = true;
            accepting = false;
            phase = CoordinatorHealth.Phase.CLOSED;
        }
        for (ScheduledFuture<?> task : periodic) {
            task.cancel(false);
        }
        if (registration != null && started) {
            releaseReplicaId();
        }
        runtime.hub.closeAll();
        runtime.scheduler.shutdownNow();
        health.stopBeating();
        runtime.virtualThreads.shutdown();
        runtime.stepThreads.shutdown();
        health.publish(CoordinatorHealth.Phase.CLOSED, floorKeeper.floor());
    }

    private void waitForNoneLive(Instant until) {
        while (!runtime.live.isEmpty() && Instant.now().isBefore(until) && sleepBriefly()) {
            // in-flight executions are finishing
        }
    }

    /** Sleeps 10 ms; false when interrupted (the interrupt is kept). */
    private static boolean sleepBriefly() {
        try {
            Thread.sleep(10);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives the replica id up so that a restart with the same id can claim it at once. */
    private void releaseReplicaId() {
        try {
            Failures.await(registration.release(), runtime.options.storeTimeout(), "releasing the replica id");
        } catch (RuntimeException e) {
            LOG.warn("the replica id could not be released ({}); a restart waits for it to lapse", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Another process took this replica id, so it may drive (and re-lease) any of this one's executions:
     * stop taking and driving work at once, without touching the store, and report not live.
     */
    private void replicaIdTaken() {
        synchronized (this) {
            accepting = false;
            if (phase == CoordinatorHealth.Phase.CLOSED) {
                return;
            }
            phase = CoordinatorHealth.Phase.REPLICA_ID_TAKEN;
        }
        for (LiveExecution execution : new ArrayList<>(runtime.live.values())) {
            runtime.leaseLost(execution, "the replica id was taken by another process");
        }
        publishHealth();
    }

    /** On the scheduler thread: proves it runs (see {@link CoordinatorHealth}) and republishes health. */
    private void beat() {
        health.beat();
        publishHealth();
    }

    private void publishHealth() {
        CoordinatorHealth.Phase current = phase;
        if (current != null) {
            health.publish(current, floorKeeper.floor());
        }
    }

    private void every(Duration interval, Runnable task) {
        long millis = Math.max(1, interval.toMillis());
        periodic.add(runtime.scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("periodic saga task failed: {}", e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS));
    }

    private void validateStart(SagaOwner owner, String input, String idempotencyKey) {
        if (owner == null) {
            throw new InvalidArgumentException("owner", "a saga needs a tenant and a session");
        }
        if (input == null) {
            throw new InvalidArgumentException("input", "input is required (use an empty string for none)");
        }
        if (input.length() * 3L > runtime.options.maxInputBytes()) {
            int size = input.getBytes(StandardCharsets.UTF_8).length;
            if (size > runtime.options.maxInputBytes()) {
                throw new TooLargeException("input", size, runtime.options.maxInputBytes());
            }
        }
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw new InvalidArgumentException("idempotencyKey",
                    "an idempotency key has 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
    }

    /** Before {@link #start()} has run the coordinator is still recovering: a caller should retry, not fail. */
    private void requireStarted() {
        if (!started) {
            throw new UnavailableException("the saga coordinator is still starting (recovering its journal); retry", null);
        }
    }

    private void requireAccepting() {
        requireStarted();
        if (phase == CoordinatorHealth.Phase.REPLICA_ID_TAKEN) {
            throw new UnavailableException("this process's replica id was taken by another process; it accepts no"
                    + " new sagas", null);
        }
        if (!accepting) {
            throw new UnavailableException("the saga coordinator is draining and accepts no new sagas", null);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing a subscription failed", e);
        }
    }
}
