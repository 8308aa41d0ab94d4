package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.FencedException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.log.LogContext;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.Lease;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one execution from its current snapshot to a terminal state, one decision at a time: run the
 * current attempt, wait for a retry time, or turn a cancel or a passed deadline into compensation. Each
 * decision's outcome is committed (journal, then store) before the next one is taken. Runs on a
 * virtual thread of its own, holding a permit of the global concurrency limit while it works.
 */
final class ExecutionDriver implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionDriver.class);
    private static final long STORE_RETRY_MILLIS = 200;

    private final SagaRuntime runtime;
    private final LiveExecution execution;
    private final SagaDefinition definition;
    private final NewStart newStart;
    private boolean holdingPermit;

    /**
     * The rest of a start, done by the driver: the first transition, being journaled, waits for the lease
     * that was requested with it and, with an idempotency key, for the claim, before it goes to the store.
     */
    record NewStart(TransitionCommitter.Encoded first, FirstWrite firstWrite,
                    CompletableFuture<Optional<Lease>> leasing, CompletableFuture<ExecutionId> claiming,
                    long leaseSentNanos) {
    }

    /** @param newStart the rest of a start, or null when the execution is resumed */
    ExecutionDriver(SagaRuntime runtime, LiveExecution execution, NewStart newStart) {
        this.runtime = runtime;
        this.execution = execution;
        this.definition = execution.definition();
        this.newStart = newStart;
    }

    @Override
    public void run() {
        execution.enterLogContext();
        try {
            if (newStart != null && !settleStart()) {
                return;
            }
            acquirePermit();
            drive();
        } catch (DriverStopped stopped) {
            LOG.debug("driver of {} stopped: {}", execution.key().execution(), stopped.getMessage());
        } catch (InterruptedException e) {
            execution.stop(LiveExecution.StopReason.PARKED);
        } catch (RuntimeException | Error e) {
            LOG.error("driving execution {} failed unexpectedly; parking it", execution.key().execution(), e);
            execution.stop(LiveExecution.StopReason.PARKED);
        } finally {
            releasePermit();
            runtime.driverExited(execution);
            LogContext.clear();
        }
    }

    /**
     * Takes the lease, claims the idempotency key (both asked for at launch, while the start is journaled),
     * and writes the first snapshot to the store (which indexes it first, so adoption can find it from then
     * on), without waiting for the journal; the start is accepted once both hold it. Until that write lands
     * the lease is this method's alone (not renewed, not visible to the lease keeper): if it expires first
     * (the store slow or away) the write is fenced, and a new lease is taken; then a record already in the
     * store (the versioned write is not applied) means another replica started this execution meanwhile (a
     * retry of the same intent does that when the key's execution never reached the store), so this one
     * steps back. The write is retried until it lands or the driver stops.
     */
    private boolean settleStart() throws InterruptedException {
        Lease lease = awaitLease(newStart.leasing());
        if (lease == null) {
            return false;
        }
        long leaseSentNanos = newStart.leaseSentNanos();
        TransitionCommitter.Encoded encoded = newStart.first();
        ExecutionSnapshot first = encoded.snapshot();
        if (first.idempotencyKey() != null && !claimIdempotencyKey(first, newStart.claiming())) {
            return false;
        }
        ExecutionRecord record = SnapshotCodec.record(first, encoded.body());
        if (!newStart.firstWrite().mayIssue()) {
            throw new DriverStopped(LiveExecution.StopReason.JOURNAL_FAILED);
        }
        while (true) {
            throwIfStopped();
            try {
                if (lease == null) {
                    leaseSentNanos = runtime.clock.nanoTime();
                    lease = awaitLease(runtime.store.acquireLease(execution.key(), runtime.options.replicaId(),
                            runtime.leaseTtl()));
                    if (lease == null) {
                        return false;
                    }
                }
                // Versioned: a record already there (another replica started it meanwhile) is not overwritten.
                if (!Failures.await(runtime.store.write(record, encoded.events(), lease), runtime.options.storeTimeout(),
                        "writing a new execution")) {
                    stepBack(lease);
                    return false;
                }
                break;
            } catch (FencedException e) {
                LOG.info("the lease of new execution {} expired before its first write; taking a new one",
                        execution.key().execution());
                lease = null;
            } catch (UnavailableException e) {
                LOG.debug("writing new execution {} failed; retrying: {}", execution.key().execution(), e.getMessage());
                Thread.sleep(STORE_RETRY_MILLIS);
            }
        }
        execution.leaseGranted(lease, leaseSentNanos + runtime.options.leaseTtl().toNanos());
        newStart.firstWrite().awaitJournaled();
        runtime.stored(execution, first);
        execution.accepted().complete(execution.key().execution());
        return true;
    }

    /** The execution is in the store already, started by another replica: it is theirs (or adoption's) to drive. */
    private void stepBack(Lease lease) {
        LOG.info("execution {} was started by another replica meanwhile; leaving it to that one", execution.key().execution());
        runtime.store.releaseLease(lease);
        abandon(execution.key().execution(), null);
    }

    /**
     * Waits for a lease of the new execution, asking again while the store is unreachable. Null when another
     * replica holds it: a retry of the same intent on another replica is starting this execution; the
     * start fails with UNAVAILABLE (retrying is safe) and this copy never runs.
     */
    private Lease awaitLease(CompletableFuture<Optional<Lease>> leasing) throws InterruptedException {
        while (true) {
            throwIfStopped();
            try {
                Optional<Lease> lease = Failures.await(leasing, runtime.options.storeTimeout(), "acquiring a lease");
                if (lease.isEmpty()) {
                    abandon(null, new UnavailableException("execution " + execution.key().execution()
                            + " is being started by another replica", null));
                    return null;
                }
                return lease.get();
            } catch (UnavailableException e) {
                LOG.debug("the lease of {} is not granted yet; retrying: {}", execution.key().execution(), e.getMessage());
                Thread.sleep(STORE_RETRY_MILLIS);
                leasing = runtime.store.acquireLease(execution.key(), runtime.options.replicaId(), runtime.leaseTtl());
            }
        }
    }

    /**
     * Waits for the binding of the idempotency key to this execution ({@code claiming}, asked for when the
     * start was launched), asking again while the store is unreachable. Returns false when the key already
     * belongs to another execution: this one is abandoned and never runs, and {@code start} returns the other.
     */
    private boolean claimIdempotencyKey(ExecutionSnapshot first, CompletableFuture<ExecutionId> claiming)
            throws InterruptedException {
        ExecutionKey key = execution.key();
        while (true) {
            throwIfStopped();
            try {
                ExecutionId winner = Failures.await(claiming, runtime.options.storeTimeout(),
                        "claiming an idempotency key");
                if (!winner.equals(key.execution())) {
                    abandon(winner, null);
                    return false;
                }
                return true;
            } catch (UnavailableException e) {
                LOG.debug("claiming the idempotency key of {} failed; retrying: {}", key.execution(), e.getMessage());
                Thread.sleep(STORE_RETRY_MILLIS);
                claiming = runtime.store.claimIdempotencyKey(key.tenant(), first.session(), first.idempotencyKey(),
                        key.execution(), runtime.options.idempotencyTtl());
            }
        }
    }

    /** This execution never runs: {@code start} returns {@code winner}, or fails with {@code error}. */
    private void abandon(ExecutionId winner, RuntimeException error) {
        execution.stop(LiveExecution.StopReason.ABANDONED);
        execution.storeSync().close();
        runtime.live.remove(execution.key(), execution);
        if (execution.lease() != null) {
            runtime.store.releaseLease(execution.lease());
        }
        if (error != null) {
            execution.accepted().completeExceptionally(error);
        } else {
            execution.accepted().complete(winner);
        }
    }

    private void drive() throws InterruptedException {
        while (true) {
            ExecutionSnapshot snapshot = execution.snapshot();
            if (snapshot.terminal()) {
                return;
            }
            throwIfStopped();
            if (snapshot.state() == SagaState.RUNNING) {
                driveForward(snapshot);
            } else {
                driveCompensation(snapshot);
            }
        }
    }

    private void driveForward(ExecutionSnapshot snapshot) throws InterruptedException {
        StepSnapshot step = snapshot.current();
        if (snapshot.cancelRequested()) {
            commit(from -> SagaStateMachine.stepFailed(from, definition, "cancelled before the attempt ran", false,
                    CompensationCause.CANCELLED, now()));
        } else if (snapshot.hasDeadline() && now() >= snapshot.deadlineAtMillis()) {
            commit(from -> SagaStateMachine.stepFailed(from, definition, "the saga's deadline passed", false,
                    CompensationCause.DEADLINE_EXCEEDED, now()));
        } else if (step.status() == StepStatus.RUNNING) {
            runAction(snapshot);
        } else if (step.status() == StepStatus.RETRY_WAIT) {
            if (now() >= step.retryAtMillis()) {
                commit(from -> SagaStateMachine.stepRetryStarted(from, now()));
            } else {
                waitUntil(step.retryAtMillis(), snapshot.hasDeadline() ? snapshot.deadlineAtMillis() : Long.MAX_VALUE);
            }
        } else {
            throw new IllegalStateException("step " + step.name() + " is " + step.status() + " in a RUNNING execution");
        }
    }

    private void driveCompensation(ExecutionSnapshot snapshot) throws InterruptedException {
        StepSnapshot step = snapshot.current();
        if (step.status() == StepStatus.COMPENSATING) {
            runCompensation(snapshot);
        } else if (step.status() == StepStatus.COMPENSATION_RETRY_WAIT) {
            if (now() >= step.retryAtMillis()) {
                commit(from -> SagaStateMachine.compensationRetryStarted(from, now()));
            } else {
                waitUntil(step.retryAtMillis(), Long.MAX_VALUE);
            }
        } else {
            throw new IllegalStateException("step " + step.name() + " is " + step.status()
                    + " in a COMPENSATING execution");
        }
    }

    private void runAction(ExecutionSnapshot snapshot) throws InterruptedException {
        SagaStep step = definition.step(snapshot.cursor());
        StepSnapshot state = snapshot.current();
        CancellationSignal signal = new CancellationSignal();
        StepContext context = context(snapshot, step, state.attempts(), false, signal);
        long deadlineNanos = snapshot.hasDeadline()
                ? TimeUnit.MILLISECONDS.toNanos(Math.max(0, snapshot.deadlineAtMillis() - now())) : -1;
        AttemptOutcome outcome = AttemptRunner.run(runtime, execution, threadName(step, false),
                () -> step.action().run(context), signal, timeoutNanos(step), deadlineNanos, true);
        switch (outcome) {
            case AttemptOutcome.Succeeded succeeded -> recordSuccess(step, succeeded.result());
            case AttemptOutcome.Failed failure -> recordActionFailure(step, state, failure.error());
            case AttemptOutcome.TimedOut timedOut -> {
                runtime.failures.record();
                String error = "timed out after " + timedOut.after().toMillis() + " ms";
                commit(from -> SagaStateMachine.stepFailed(from, definition, error, true,
                        CompensationCause.STEP_TIMED_OUT, now()));
            }
            case AttemptOutcome.DeadlineExceeded ignored -> {
                runtime.failures.record();
                commit(from -> SagaStateMachine.stepFailed(from, definition, "the saga's deadline passed", true,
                        CompensationCause.DEADLINE_EXCEEDED, now()));
            }
            case AttemptOutcome.Stopped ignored -> throwIfStopped();
        }
    }

    private void recordSuccess(SagaStep step, String result) {
        if (result != null && result.length() * 3L > runtime.options.maxResultBytes()
                && result.getBytes(StandardCharsets.UTF_8).length > runtime.options.maxResultBytes()) {
            runtime.failures.record();
            String error = "the result of step " + step.name() + " is " + result.getBytes(StandardCharsets.UTF_8).length
                    + " bytes; the limit is " + runtime.options.maxResultBytes();
            commit(from -> SagaStateMachine.stepFailed(from, definition, error, true, CompensationCause.STEP_FAILED,
                    now()));
            return;
        }
        commit(from -> SagaStateMachine.stepSucceeded(from, definition, result, now()));
    }

    private void recordActionFailure(SagaStep step, StepSnapshot state, Throwable error) {
        runtime.failures.record();
        String text = Failures.describe(error);
        int failures = state.failures() + 1;
        commit(from -> {
            if (from.cancelRequested()) {
                return SagaStateMachine.stepFailed(from, definition, text, true, CompensationCause.CANCELLED, now());
            }
            if (step.retry().allowsRetry(failures, error)) {
                long at = now(); // one instant for the event and its retry time: the wait is exactly the backoff
                long retryAt = at + step.retry().backoff(failures, error).toMillis();
                return SagaStateMachine.stepAttemptFailed(from, text, retryAt, at);
            }
            return SagaStateMachine.stepFailed(from, definition, text, true, CompensationCause.STEP_FAILED, now());
        });
    }

    private void runCompensation(ExecutionSnapshot snapshot) throws InterruptedException {
        SagaStep step = definition.step(snapshot.cursor());
        StepSnapshot state = snapshot.current();
        CancellationSignal signal = new CancellationSignal();
        StepContext context = context(snapshot, step, state.compensationAttempts(), true, signal);
        AttemptOutcome outcome = AttemptRunner.run(runtime, execution, threadName(step, true), () -> {
            step.compensation().compensate(context);
            return null;
        }, signal, timeoutNanos(step), -1, false);
        Throwable error = switch (outcome) {
            case AttemptOutcome.Succeeded ignored -> null;
            case AttemptOutcome.Failed failure -> failure.error();
            case AttemptOutcome.TimedOut timedOut ->
                    new TimeoutException("timed out after " + timedOut.after().toMillis() + " ms");
            case AttemptOutcome.DeadlineExceeded ignored ->
                    throw new IllegalStateException("compensations are not bound by the deadline");
            case AttemptOutcome.Stopped ignored -> {
                throwIfStopped();
                throw new IllegalStateException("an attempt stopped without a stop reason");
            }
        };
        if (error == null) {
            commit(from -> SagaStateMachine.compensationSucceeded(from, definition, now()));
            return;
        }
        runtime.failures.record();
        String text = Failures.describe(error);
        int failures = state.compensationFailures() + 1;
        if (step.compensationRetry().allowsRetry(failures, error)) {
            Duration backoff = step.compensationRetry().backoff(failures, error);
            commit(from -> {
                long at = now(); // one instant for the event and its retry time: the wait is exactly the backoff
                return SagaStateMachine.compensationAttemptFailed(from, text, at + backoff.toMillis(), at);
            });
        } else {
            commit(from -> SagaStateMachine.compensationFailed(from, text, now()));
        }
    }

    /**
     * Sleeps until {@code atMillis} (or {@code deadlineMillis}, if earlier) without holding a permit; a
     * cancel or stop cuts the wait short. The caller's loop then decides again.
     */
    private void waitUntil(long atMillis, long deadlineMillis) throws InterruptedException {
        releasePermit();
        long until = Math.min(atMillis, deadlineMillis);
        long remaining = until - now();
        if (remaining > 0 && !execution.snapshot().cancelRequested()) {
            execution.awaitNudge(TimeUnit.MILLISECONDS.toNanos(remaining));
        }
        throwIfStopped();
        acquirePermit();
    }

    private StepContext context(ExecutionSnapshot snapshot, SagaStep step, int attempt, boolean compensation,
                                CancellationSignal signal) {
        ExecutionKey key = snapshot.key();
        String idempotencyKey = key.execution().value() + ":" + step.name() + (compensation ? ":compensation" : "");
        Lease lease = execution.lease();
        return new StepContext(key.tenant(), snapshot.session(), key.execution(), step.name(), snapshot.input(),
                snapshot.results(), idempotencyKey, attempt, compensation, signal,
                lease == null ? snapshot.fencingToken() : lease.fencingToken());
    }

    private String threadName(SagaStep step, boolean compensation) {
        return "saga-" + definition.name() + "-" + step.name() + (compensation ? "-compensation" : "");
    }

    private static long timeoutNanos(SagaStep step) {
        Duration timeout = step.timeout();
        return timeout == null ? -1 : timeout.toNanos();
    }

    private void commit(java.util.function.Function<ExecutionSnapshot, Transition> change) {
        runtime.committer.commit(execution, change);
    }

    private long now() {
        return runtime.nowMillis();
    }

    private void throwIfStopped() {
        LiveExecution.StopReason reason = execution.stopReason();
        if (reason != null) {
            throw new DriverStopped(reason);
        }
    }

    private void acquirePermit() throws InterruptedException {
        if (holdingPermit) {
            return;
        }
        runtime.queued.incrementAndGet();
        try {
            runtime.permits.acquire();
            holdingPermit = true;
        } finally {
            runtime.queued.decrementAndGet();
        }
    }

    private void releasePermit() {
        if (holdingPermit) {
            holdingPermit = false;
            runtime.permits.release();
        }
    }
}
