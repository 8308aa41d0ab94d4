package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.Lease;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actions an operator (and, for cancel, a client) takes on one execution, from any replica. Each is
 * a transition committed like every other (journaled and stored before it is answered) by the replica
 * that drives the execution: this one when it does, or takes the lease for it (a FAILED execution, one
 * no replica drives); another live replica for a cancel, which it is handed through the store and
 * applies within its poll interval ({@link CancelInbox}) while this one waits for it to show in the store.
 */
final class OperatorActions {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorActions.class);
    private static final Duration HAND_OVER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HAND_OVER_POLL = Duration.ofMillis(50);
    private static final int ROUNDS = 3;

    private final SagaRuntime runtime;
    private final Takeover takeover;

    OperatorActions(SagaRuntime runtime, Takeover takeover) {
        this.runtime = runtime;
        this.takeover = takeover;
    }

    /**
     * Asks a RUNNING execution to cancel. A client's cancel ({@code note} null) of an execution that is no
     * longer RUNNING returns it unchanged; an operator's answers {@link StateConflictException}.
     */
    ExecutionView cancel(ExecutionKey key, OperatorNote note) throws InterruptedException {
        for (int round = 0; round < ROUNDS; round++) {
            LiveExecution execution = runtime.live.get(key);
            if (execution != null) {
                try {
                    return checked(cancelHere(execution, note), note).view();
                } catch (DriverStopped stopped) {
                    continue;
                }
            }
            ExecutionSnapshot stored = runtime.readSnapshot(key);
            if (stored.state() != SagaState.RUNNING || stored.cancelRequested()) {
                return checked(stored, note).view();
            }
            if (runtime.takingOver.contains(key)) {
                throw new UnavailableException("execution " + key.execution() + " is being recovered; retry", null);
            }
            Optional<String> holder = runtime.awaitStore(runtime.store.leaseHolder(key), "reading a lease");
            if (holder.isEmpty()) {
                takeover.adopt(key); // then it is live here (or someone else's by the next round)
            } else if (!holder.get().equals(runtime.options.replicaId())) {
                return handOver(key, holder.get(), note);
            }
        }
        throw new UnavailableException("execution " + key.execution() + " changed hands while cancelling; retry", null);
    }

    /** Applies a cancel to an execution this replica drives; the snapshot after it. */
    ExecutionSnapshot cancelHere(LiveExecution execution, OperatorNote note) {
        ExecutionSnapshot after = runtime.committer.commit(execution, from -> from.state() != SagaState.RUNNING
                || from.cancelRequested() ? null
                : note == null ? SagaStateMachine.cancelRequested(from, runtime.nowMillis())
                : SagaStateMachine.operatorCancelled(from, note, runtime.nowMillis()));
        if (after.state() == SagaState.RUNNING && after.cancelRequested()) {
            // Only a forward step is cut short; a compensation in flight must finish.
            execution.cancelAttempt("the saga was cancelled");
            execution.nudge();
        }
        return after;
    }

    /** Hands the cancel to the lease holder and waits until the store shows it applied. */
    private ExecutionView handOver(ExecutionKey key, String holder, OperatorNote note) throws InterruptedException {
        runtime.awaitStore(runtime.store.requestCancel(holder, key, OperatorNote.encode(note)), "handing over a cancel");
        long deadline = runtime.clock.nanoTime() + HAND_OVER_TIMEOUT.toNanos();
        while (runtime.clock.nanoTime() - deadline < 0) {
            Thread.sleep(HAND_OVER_POLL.toMillis());
            ExecutionSnapshot stored = runtime.readSnapshot(key);
            if (stored.cancelRequested()) {
                return stored.view(); // applied (it may even have finished compensating meanwhile)
            }
            if (stored.state() != SagaState.RUNNING) {
                return checked(stored, note).view();
            }
        }
        throw new UnavailableException("replica " + holder + " drives execution " + key.execution()
                + " and did not confirm the cancel within " + HAND_OVER_TIMEOUT.toSeconds() + " s; retry", null);
    }

    /** An operator's cancel that found the execution no longer RUNNING (and not cancelled by it) conflicts. */
    private static ExecutionSnapshot checked(ExecutionSnapshot snapshot, OperatorNote note) {
        if (note != null && snapshot.state() != SagaState.RUNNING) {
            throw conflict(snapshot, "cancel", null);
        }
        return snapshot;
    }

    /** Retries a FAILED execution's compensation from where it stopped; this replica drives it. */
    ExecutionView retryCompensation(ExecutionKey key, OperatorNote note) throws InterruptedException {
        return actOnFailed(key, "retry", from -> SagaStateMachine.compensationRetried(from, note, runtime.nowMillis()));
    }

    /** Marks a FAILED execution handled by hand: RESOLVED. */
    ExecutionView resolve(ExecutionKey key, OperatorNote note) throws InterruptedException {
        return actOnFailed(key, "resolve", from -> SagaStateMachine.resolved(from, note, runtime.nowMillis()));
    }

    /**
     * A FAILED execution is driven by nobody: takes its lease, checks it is still FAILED, and commits the
     * transition under the lease like a driver would. A retry then drives the compensation here.
     */
    private ExecutionView actOnFailed(ExecutionKey key, String action, Function<ExecutionSnapshot, Transition> change)
            throws InterruptedException {
        if (runtime.live.containsKey(key) || !runtime.takingOver.add(key)) {
            throw conflict(runtime.readSnapshot(key), action, runtime.options.replicaId());
        }
        try {
            requireState(runtime.readSnapshot(key), SagaState.FAILED, action);
            long sentAt = runtime.clock.nanoTime();
            Optional<Lease> acquired = runtime.awaitStore(runtime.store.acquireLease(key, runtime.options.replicaId(),
                    runtime.leaseTtl()), "acquiring a lease");
            if (acquired.isEmpty()) {
                ExecutionSnapshot now = runtime.readSnapshot(key);
                throw conflict(now, action, runtime.awaitStore(runtime.store.leaseHolder(key), "reading a lease").orElse(null));
            }
            Lease lease = acquired.get();
            ExecutionSnapshot base;
            SagaDefinition definition;
            try {
                base = requireState(runtime.readSnapshot(key), SagaState.FAILED, action);
                definition = runtime.registry.findOrLoad(base.definition(), base.definitionVersion())
                        .orElseThrow(() -> new UnknownSagaException(base.definition() + " v" + base.definitionVersion()));
            } catch (RuntimeException e) {
                runtime.store.releaseLease(lease);
                throw e;
            }
            LiveExecution execution = runtime.newLive(definition, base, lease, sentAt, base.version());
            runtime.live.put(key, execution);
            ExecutionSnapshot after;
            try {
                after = runtime.committer.commit(execution, from -> from.state() == SagaState.FAILED ? change.apply(from) : null);
            } catch (DriverStopped stopped) {
                runtime.live.remove(key, execution);
                runtime.store.releaseLease(lease);
                throw new UnavailableException("execution " + key.execution() + " could not be changed ("
                        + stopped.getMessage() + "); retry", null);
            }
            if (after.terminal()) {
                // Resolved: nothing runs. The store callback has let it go once stored (commit waited for that).
                runtime.live.remove(key, execution);
                runtime.store.releaseLease(lease);
            } else {
                runtime.launch(execution, null);
            }
            LOG.info("execution {}: operator's {} applied on replica {}", key.execution(), action, after.owner());
            return after.view();
        } finally {
            runtime.takingOver.remove(key);
        }
    }

    /**
     * Re-drives a RUNNING or COMPENSATING execution no replica drives (its definition version was missing
     * everywhere, say): adopts it here now, recording the operator's action.
     */
    ExecutionView redrive(ExecutionKey key, OperatorNote note) throws InterruptedException {
        ExecutionSnapshot stored = runtime.readSnapshot(key);
        if (stored.terminal()) {
            throw conflict(stored, "redrive", null);
        }
        Optional<String> holder = runtime.awaitStore(runtime.store.leaseHolder(key), "reading a lease");
        if (holder.isPresent() || runtime.live.containsKey(key)) {
            throw conflict(stored, "redrive", holder.orElse(runtime.options.replicaId()));
        }
        if (runtime.registry.findOrLoad(stored.definition(), stored.definitionVersion()).isEmpty()) {
            throw new UnknownSagaException(stored.definition() + " v" + stored.definitionVersion());
        }
        if (!takeover.adopt(key, note)) {
            ExecutionSnapshot now = runtime.readSnapshot(key);
            throw conflict(now, "redrive", runtime.awaitStore(runtime.store.leaseHolder(key), "reading a lease")
                    .orElse(null));
        }
        LiveExecution execution = runtime.live.get(key);
        return execution != null ? execution.snapshot().view() : runtime.readSnapshot(key).view();
    }

    private static ExecutionSnapshot requireState(ExecutionSnapshot snapshot, SagaState expected, String action) {
        if (snapshot.state() != expected) {
            throw conflict(snapshot, action, null);
        }
        return snapshot;
    }

    private static StateConflictException conflict(ExecutionSnapshot snapshot, String action, String owner) {
        String detail = "execution " + snapshot.key().execution() + " is " + snapshot.state().name()
                + (snapshot.cancelRequested() && snapshot.state() == SagaState.RUNNING ? " (cancel requested)" : "")
                + (owner == null ? "" : ", driven by " + owner) + "; '" + action + "' does not apply";
        return new StateConflictException(detail, snapshot.state(), owner);
    }
}
