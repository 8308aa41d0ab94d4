package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.FencedException;
import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.ExecutionStore;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.Lease;
import dev.runtimeplane.core.sched.ThreadScheduling;
import dev.runtimeplane.core.time.RuntimeClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the coordinator's parts share: the ports, the executions this replica drives, the concurrency
 * limit, the threads, and the counters health reports. Also decides what happens to an execution when
 * its store write lands, is fenced, or its driver exits.
 *
 * <p>Three kinds of threads: drivers, store callbacks and subscriptions block and run on virtual threads;
 * step attempts run on platform threads ({@link #stepThreads}), so CPU-bound steps are time-sliced by the
 * operating system instead of holding the virtual threads' carriers (which the drivers, and the service's
 * request handlers, need); lease renewal and health run on the one platform {@link #scheduler} thread and on
 * the store's I/O threads, which no step can occupy.
 */
final class SagaRuntime implements StoreSync.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(SagaRuntime.class);

    final SagaCoordinatorOptions options;
    final SagaRegistry registry;
    final Journal journal;
    final ExecutionStore store;
    final RuntimeClock clock;
    final LiveExecutions live;
    /** Executions whose lease is being acquired by recovery or adoption (never two takeovers of one key). */
    final Set<ExecutionKey> takingOver = ConcurrentHashMap.newKeySet();
    /** Executions found in the journal and not yet resolved: the floor stays below their records. */
    final Map<ExecutionKey, JournalReplay.Recovered> recovering = new ConcurrentHashMap<>();
    /**
     * Executions that left this replica while the store may lack their journaled state (lease lost, parked
     * with a failed flush), with the first journal sequence they need; see {@link StoreConfirmer}.
     */
    final Map<ExecutionKey, Long> unconfirmed = new ConcurrentHashMap<>();
    final Semaphore permits;
    final AtomicInteger queued = new AtomicInteger();
    final FailureWindow failures;
    final LongAdder started = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder compensated = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder recovered = new LongAdder();
    final LongAdder adopted = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder leaseRenewals = new LongAdder();
    final LongAdder leaseRenewalFailures = new LongAdder();
    final AttemptActivity attempts;
    final ExecutorService virtualThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("saga-", 0).factory());
    /**
     * Grows with the attempts in flight (bounded by {@code concurrency}, plus attempts that ignored a stop).
     * Each thread lowers its own priority to {@code stepThreadNice} once, when it starts.
     */
    final ExecutorService stepThreads;
    final ScheduledExecutorService scheduler;
    final SubscriptionHub hub;
    final TransitionCommitter committer;
    final AtomicReference<Throwable> journalFailure = new AtomicReference<>();
    volatile long lastStoreFailureNanos;
    /** Executions the latest complete adoption walk found with a free lease and left ({@link Adopter}). */
    volatile long awaitingAdoption;
    volatile boolean storeFailing;

    SagaRuntime(SagaCoordinatorOptions options, SagaRegistry registry, Journal journal, ExecutionStore store) {
        this.options = options;
        this.registry = registry;
        this.journal = journal;
        this.store = store;
        this.clock = options.clock();
        this.live = new LiveExecutions(options.maxExecutions());
        this.permits = new Semaphore(options.concurrency(), true);
        ThreadFactory stepThreadFactory = Thread.ofPlatform().daemon().name("saga-step-", 0).factory();
        this.stepThreads = Executors.newCachedThreadPool(options.stepThreadNice() == 0 ? stepThreadFactory
                : work -> stepThreadFactory.newThread(() -> {
                    ThreadScheduling.lowerPriority(options.stepThreadNice());
                    work.run();
                }));
        this.attempts = new AttemptActivity(clock);
        this.failures = new FailureWindow(clock);
        ScheduledThreadPoolExecutor schedulerThread = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("saga-scheduler-" + options.replicaId()).factory());
        // Started here, so that it never inherits a step thread's lower priority (see AttemptRunner).
        schedulerThread.prestartCoreThread();
        this.scheduler = Executors.unconfigurableScheduledExecutorService(schedulerThread);
        this.hub = new SubscriptionHub(this);
        this.committer = new TransitionCommitter(journal, this::journalFailed);
    }

    long nowMillis() {
        return clock.millis();
    }

    /**
     * A live execution with its store writer; {@code storedVersion} is what the store is known to hold,
     * {@code lease} may be null while it is still being granted to a new execution.
     */
    LiveExecution newLive(SagaDefinition definition, ExecutionSnapshot snapshot, Lease lease, long leaseSentNanos,
                          long storedVersion) {
        LiveExecution execution = new LiveExecution(snapshot.key(), definition, snapshot);
        if (lease != null) {
            execution.leaseGranted(lease, leaseSentNanos + options.leaseTtl().toNanos());
        }
        execution.storeSync(new StoreSync(execution, store, virtualThreads, scheduler, this, storedVersion));
        return execution;
    }

    /** Starts driving {@code execution} on a virtual thread of its own. */
    void launch(LiveExecution execution, ExecutionDriver.NewStart newStart) {
        virtualThreads.execute(new ExecutionDriver(this, execution, newStart));
    }

    @Override
    public void stored(LiveExecution execution, ExecutionSnapshot snapshot) {
        execution.marks().storedThrough(snapshot.version());
        storeFailing = false;
        hub.changed(execution.key());
        if (snapshot.terminal() && live.remove(execution.key(), execution)) {
            switch (snapshot.state()) {
                case COMPLETED -> completed.increment();
                case COMPENSATED -> compensated.increment();
                case CANCELLED -> cancelled.increment(); // asked for, so not counted with the failures compensated
                case FAILED -> failed.increment();
                default -> { } // RESOLVED: an operator closed a FAILED execution, already counted as failed
            }
            // Off the store's thread: callers may chain their own work onto this future.
            ExecutionView view = snapshot.view();
            virtualThreads.execute(() -> execution.finished().complete(view));
        }
    }

    @Override
    public void fenced(LiveExecution execution, FencedException error) {
        LOG.warn("execution {} was taken over by another replica (write fenced); this replica stops driving it",
                execution.key().execution());
        drop(execution, LiveExecution.StopReason.LOST);
    }

    @Override
    public void writeFailed(LiveExecution execution, Throwable error) {
        storeFailing = true;
        lastStoreFailureNanos = clock.nanoTime();
    }

    /** The lease was lost (renewal refused or expired): another replica may own the execution now. */
    void leaseLost(LiveExecution execution, String why) {
        LOG.warn("lease of execution {} lost ({}); this replica stops driving it", execution.key().execution(), why);
        drop(execution, LiveExecution.StopReason.LOST);
    }

    private void drop(LiveExecution execution, LiveExecution.StopReason reason) {
        execution.stop(reason);
        execution.storeSync().close();
        if (live.remove(execution.key(), execution)) {
            lost.increment();
            // Usually another replica has it now; but a store that lost its data fences every write too.
            keepUnconfirmed(execution);
        }
        execution.finished().completeExceptionally(new UnavailableException(
                "execution " + execution.key().execution() + " continues on another replica", null));
    }

    /**
     * The driver has returned. A finished execution leaves once its terminal snapshot is stored; a parked
     * one (drain, close, journal failure) is flushed to the store and its lease released so that another
     * replica, or this one after a restart, resumes it without waiting for the lease to expire.
     */
    void driverExited(LiveExecution execution) {
        LiveExecution.StopReason reason = execution.stopReason();
        if (reason != LiveExecution.StopReason.PARKED && reason != LiveExecution.StopReason.JOURNAL_FAILED) {
            return;
        }
        try {
            Failures.await(execution.storeSync().flushed(), options.storeTimeout(), "flushing before park");
            if (execution.lease() != null) {
                Failures.await(store.releaseLease(execution.lease()), options.storeTimeout(), "releasing a lease");
            }
        } catch (RuntimeException e) {
            LOG.warn("parking execution {}: {}; its lease will expire instead", execution.key().execution(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        execution.storeSync().close();
        if (live.remove(execution.key(), execution) && !execution.marks().allStored()) {
            keepUnconfirmed(execution);
        }
        execution.finished().completeExceptionally(new UnavailableException(
                "execution " + execution.key().execution() + " was parked; another replica or a restart resumes it",
                null));
    }

    /** Keeps the records of an execution that left while the store may lack its state; see {@link #unconfirmed}. */
    private void keepUnconfirmed(LiveExecution execution) {
        long needed = execution.marks().needed(false);
        if (needed != Long.MAX_VALUE) {
            unconfirmed.merge(execution.key(), needed, Math::min);
        }
    }

    private void journalFailed(Throwable error) {
        if (journalFailure.compareAndSet(null, error)) {
            LOG.error("the journal cannot make saga transitions durable; parking every execution", error);
            for (LiveExecution execution : live.values()) {
                execution.stop(LiveExecution.StopReason.JOURNAL_FAILED);
            }
        }
    }

    /** The stored snapshot; NOT_FOUND when the store has none. */
    ExecutionSnapshot readSnapshot(ExecutionKey key) {
        Optional<ExecutionRecord> record = awaitStore(store.read(key), "reading an execution");
        return SnapshotCodec.decode(record.orElseThrow(
                () -> new NotFoundException("execution " + key.execution() + " was not found")).body());
    }

    /** Waits for a store call from a thread that may block; UNAVAILABLE when it fails or takes too long. */
    <T> T awaitStore(CompletableFuture<T> future, String what) {
        try {
            return Failures.await(future, options.storeTimeout(), what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while " + what, e);
        }
    }

    Duration leaseTtl() {
        return options.leaseTtl();
    }
}
