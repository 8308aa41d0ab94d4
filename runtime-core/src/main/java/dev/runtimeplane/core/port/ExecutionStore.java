package dev.runtimeplane.core.port;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The shared, hot view of executions that every replica sees: snapshots, their event history,
 * leases with fencing tokens, idempotency keys and the indexes needed to adopt a dead replica's work.
 * The state surface implements it on Redis; each operation is atomic.
 *
 * <p>Failures complete the futures exceptionally with the runtime's typed errors:
 * {@code FencedException} for a stale token, {@code UnavailableException} when the store cannot be
 * reached.
 */
public interface ExecutionStore {

    /**
     * Binds {@code key} (scoped to tenant and session) to {@code candidate} unless it is bound
     * already, and returns the execution it is bound to: {@code candidate} on first use, the earlier
     * execution on a repeat. The binding lives for {@code ttl}.
     */
    CompletableFuture<ExecutionId> claimIdempotencyKey(TenantId tenant, SessionId session, String key,
                                                       ExecutionId candidate, Duration ttl);

    /**
     * Grants the lease to {@code owner} when it is free, expired, or already held by {@code owner};
     * each grant has a new, larger fencing token. Empty when another owner holds a live lease.
     */
    CompletableFuture<Optional<Lease>> acquireLease(ExecutionKey execution, String owner, Duration ttl);

    /** Extends a lease still held with the same token; false when it was lost (expired and taken, or released). */
    CompletableFuture<Boolean> renewLease(Lease lease, Duration ttl);

    /** Gives the lease up if {@code lease} still holds it; otherwise does nothing. */
    CompletableFuture<Void> releaseLease(Lease lease);

    /**
     * Stores the snapshot and appends {@code newEvents} to the execution's history, atomically, when
     * {@code lease} carries the current fencing token (else fails with {@code FencedException}).
     * A record whose version is not above the stored one changes nothing and yields false (so
     * replaying a journal is idempotent); true when applied. Keeps the admin index (one entry per
     * execution, see the state surface) and the index of non-terminal executions up to date; a record that is not terminal is in that index before
     * it is in the store, so adoption can always find it.
     */
    CompletableFuture<Boolean> write(ExecutionRecord record, List<byte[]> newEvents, Lease lease);

    /** The stored snapshot, if any. */
    CompletableFuture<Optional<ExecutionRecord>> read(ExecutionKey execution);

    /** The execution's history from event index {@code fromIndex} (0 = the first event) on, in order. */
    CompletableFuture<List<byte[]>> events(ExecutionKey execution, long fromIndex);

    /** The replica holding the execution's lease now, if any. */
    CompletableFuture<Optional<String>> leaseHolder(ExecutionKey execution);

    /**
     * Hands a cancel to the replica {@code owner} (which holds the execution's lease): it finds it with
     * {@link #takeCancelRequests} within its poll interval. {@code request} is the coordinator's encoding
     * (who asked and why); a repeat replaces it.
     */
    CompletableFuture<Void> requestCancel(String owner, ExecutionKey execution, String request);

    /** Removes and returns the cancels handed to {@code owner}, by execution. */
    CompletableFuture<Map<ExecutionKey, String>> takeCancelRequests(String owner);

    /**
     * One step of a walk over the index of non-terminal executions, for adopting a dead replica's work:
     * looks at about {@code limit} entries from {@code cursor} ({@link ActivePage#START} begins a walk) and
     * returns those whose lease is free, with the cursor of the next step. Entries whose record is gone or
     * terminal are removed on the way (never the entry of a record being written). Every execution that is
     * indexed for the whole walk is visited at least once, whatever else the index holds.
     */
    CompletableFuture<ActivePage> scanActive(String cursor, int limit);
}
