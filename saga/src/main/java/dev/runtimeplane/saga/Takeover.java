package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.FencedException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes executions over: from this replica's own journal after a restart ({@link #recover}), or from the
 * store when their owner's lease has expired ({@link #adopt}). Either way the lease comes first, then the
 * newest known snapshot is chosen (journal or store, by lease token and version), the store is given
 * what it lacks, and the execution resumes with a RESUMED transition under the new lease.
 */
final class Takeover {

    private static final Logger LOG = LoggerFactory.getLogger(Takeover.class);

    private final SagaRuntime runtime;

    Takeover(SagaRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Resolves one execution found in the journal, retrying while the store is away. The caller has put
     * the key in {@code takingOver} (so adoption leaves it alone); this releases it.
     */
    void recover(JournalReplay.Recovered recovered, BooleanSupplier keepTrying)
            throws InterruptedException {
        ExecutionKey key = recovered.latest().key();
        try {
            Duration backoff = Duration.ofMillis(100);
            while (keepTrying.getAsBoolean()) {
                try {
                    recoverOnce(recovered);
                    return;
                } catch (UnavailableException e) {
                    LOG.info("recovering execution {} waits for the state store: {}", key.execution(), e.getMessage());
                    Thread.sleep(backoff.toMillis());
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0
                            ? Duration.ofSeconds(2) : backoff.multipliedBy(2);
                }
            }
        } finally {
            runtime.takingOver.remove(key);
            runtime.recovering.remove(key);
        }
    }

    private void recoverOnce(JournalReplay.Recovered recovered) throws InterruptedException {
        ExecutionSnapshot journaled = recovered.latest();
        ExecutionKey key = journaled.key();
        long sentAt = runtime.clock.nanoTime();
        Optional<Lease> acquired = acquireAbove(key, journaled.fencingToken());
        if (acquired.isEmpty()) {
            LOG.info("execution {} from the journal is driven by another replica now", key.execution());
            return;
        }
        Lease lease = acquired.get();
        Optional<ExecutionRecord> stored = await(runtime.store.read(key), "reading an execution");
        ExecutionSnapshot base = journaled;
        if (stored.isPresent()) {
            ExecutionSnapshot inStore = SnapshotCodec.decode(stored.get().body());
            if (journaled.newerThan(inStore)) {
                writeToStore(journaled, recovered.eventsAfter(inStore.version()), lease);
            } else {
                base = inStore;
            }
        } else {
            if (outlivedTheStore(journaled)) {
                LOG.warn("execution {} was last journaled at {}, longer ago than the store keeps finished executions ({}),"
                        + " and the store has no record of it: it may have finished on another replica, so it is not"
                        + " resumed", key.execution(), Instant.ofEpochMilli(journaled.updatedAtMillis()),
                        runtime.options.storeRetention());
                runtime.store.releaseLease(lease);
                return;
            }
            if (journaled.idempotencyKey() != null && !claimStillOurs(journaled, lease)) {
                return;
            }
            writeToStore(journaled, recovered.eventsAfter(0), lease);
        }
        if (base.terminal()) {
            runtime.store.releaseLease(lease);
            return;
        }
        if (resume(base, lease, sentAt, recovered.latestSequence(),
                "recovered by " + runtime.options.replicaId() + " after a restart", null)) {
            runtime.recovered.increment();
        }
    }

    /**
     * Acquires the lease, again until its token is above {@code token}: a store that lost its data counts
     * tokens from 1 again, and snapshots are ordered by token, so a token below the journaled snapshot's
     * would make the state written under it look older than it is.
     */
    private Optional<Lease> acquireAbove(ExecutionKey key, long token) throws InterruptedException {
        Optional<Lease> acquired;
        do {
            acquired = await(runtime.store.acquireLease(key, runtime.options.replicaId(), runtime.leaseTtl()),
                    "acquiring a lease");
        } while (acquired.isPresent() && acquired.get().fencingToken() <= token);
        return acquired;
    }

    /** A replica that was down longer than the store's retention must not resurrect what the store let expire. */
    private boolean outlivedTheStore(ExecutionSnapshot journaled) {
        return runtime.nowMillis() - journaled.updatedAtMillis() > runtime.options.storeRetention().toMillis();
    }

    /**
     * A start that crashed before its first store write may have lost its idempotency claim (or never
     * made it). Claiming again is idempotent for the winner; a loser is abandoned and never runs.
     */
    private boolean claimStillOurs(ExecutionSnapshot journaled, Lease lease) throws InterruptedException {
        ExecutionKey key = journaled.key();
        ExecutionId winner = await(runtime.store.claimIdempotencyKey(key.tenant(), journaled.session(),
                journaled.idempotencyKey(), key.execution(), runtime.options.idempotencyTtl()), "claiming a key");
        if (winner.equals(key.execution())) {
            return true;
        }
        LOG.info("execution {} lost its idempotency key to {}; it is abandoned", key.execution(), winner);
        runtime.store.releaseLease(lease);
        return false;
    }

    private void writeToStore(ExecutionSnapshot snapshot, List<byte[]> events, Lease lease)
            throws InterruptedException {
        try {
            await(runtime.store.write(SnapshotCodec.record(snapshot), events, lease), "writing an execution");
        } catch (FencedException e) {
            throw new UnavailableException("lease taken while recovering", e);
        }
    }

    /** Adopts an execution from the store whose owner's lease has expired; false when it is not ours to take. */
    boolean adopt(ExecutionKey key) throws InterruptedException {
        return adopt(key, null);
    }

    /**
     * As {@link #adopt(ExecutionKey)}; with an operator's {@code note} the resumption is recorded as their
     * re-drive.
     */
    boolean adopt(ExecutionKey key, OperatorNote note) throws InterruptedException {
        if (runtime.live.containsKey(key) || !runtime.takingOver.add(key)) {
            return false;
        }
        try {
            long sentAt = runtime.clock.nanoTime();
            Optional<Lease> acquired = await(runtime.store.acquireLease(key, runtime.options.replicaId(),
                    runtime.leaseTtl()), "acquiring a lease");
            if (acquired.isEmpty()) {
                return false;
            }
            Lease lease = acquired.get();
            Optional<ExecutionRecord> stored = await(runtime.store.read(key), "reading an execution");
            if (stored.isEmpty() || stored.get().terminal()) {
                runtime.store.releaseLease(lease);
                return false;
            }
            ExecutionSnapshot snapshot = SnapshotCodec.decode(stored.get().body());
            String why = snapshot.owner() == null || snapshot.owner().equals(runtime.options.replicaId())
                    ? "resumed by " + runtime.options.replicaId()
                    : "adopted by " + runtime.options.replicaId() + " from " + snapshot.owner();
            boolean resumed = resume(snapshot, lease, sentAt, 0, why, note);
            if (resumed) {
                runtime.adopted.increment();
            }
            return resumed;
        } finally {
            runtime.takingOver.remove(key);
        }
    }

    private boolean resume(ExecutionSnapshot base, Lease lease, long leaseSentNanos, long latestSequence, String why,
                           OperatorNote note) {
        Optional<SagaDefinition> definition = runtime.registry.findOrLoad(base.definition(), base.definitionVersion());
        if (definition.isEmpty()) {
            LOG.error("execution {} runs saga {} v{}, which is not registered here; leaving it for a replica that has it",
                    base.key().execution(), base.definition(), base.definitionVersion());
            runtime.store.releaseLease(lease);
            return false;
        }
        LiveExecution execution = runtime.newLive(definition.get(), base, lease, leaseSentNanos, base.version());
        if (latestSequence > 0) {
            execution.marks().latestIs(latestSequence);
        }
        runtime.live.put(base.key(), execution);
        try {
            runtime.committer.commit(execution, from -> note == null ? SagaStateMachine.resume(from, why, runtime.nowMillis())
                    : SagaStateMachine.redriven(from, note, why, runtime.nowMillis()));
        } catch (DriverStopped stopped) {
            runtime.live.remove(base.key(), execution);
            runtime.store.releaseLease(lease);
            return false;
        }
        runtime.launch(execution, null);
        return true;
    }

    private <T> T await(CompletableFuture<T> future, String what) throws InterruptedException {
        return Failures.await(future, runtime.options.storeTimeout(), what);
    }
}
