package dev.runtimeplane.saga.testing;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ActivePage;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.ExecutionStore;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import dev.runtimeplane.core.port.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Simulates the sudden death of the process that owns a coordinator, in-process: once {@link #kill()}
 * is called, every journal and store call made through the wrapped ports hangs forever (nothing the
 * dead process does reaches the disk or Redis any more). A successor coordinator uses the unwrapped
 * ports, as a restarted process would. The child-JVM tests do the same with a real {@code kill -9}.
 */
public final class ProcessDeath {

    private volatile boolean dead;

    public void kill() {
        dead = true;
    }

    public Journal journal(Journal delegate) {
        return new Journal() {
            @Override
            public CompletableFuture<Long> append(int type, byte[] payload) {
                return dead ? new CompletableFuture<>() : delegate.append(type, payload);
            }

            @Override
            public CompletableFuture<Long> appendBatch(List<JournalRecord> records) {
                return dead ? new CompletableFuture<>() : delegate.appendBatch(records);
            }

            @Override
            public Stream<JournalEntry> replay(long fromSequence) {
                return delegate.replay(fromSequence);
            }

            @Override
            public void flush() {
                if (!dead) {
                    delegate.flush();
                }
            }

            @Override
            public void raiseFloor(long sequence) {
                if (!dead) {
                    delegate.raiseFloor(sequence);
                }
            }

            @Override
            public long lastSequence() {
                return delegate.lastSequence();
            }
        };
    }

    public ExecutionStore store(ExecutionStore delegate) {
        return new ForwardingExecutionStore(delegate) {
            @Override
            public CompletableFuture<ExecutionId> claimIdempotencyKey(TenantId tenant, SessionId session, String key,
                                                                      ExecutionId candidate, Duration ttl) {
                return dead ? new CompletableFuture<>() : super.claimIdempotencyKey(tenant, session, key, candidate, ttl);
            }

            @Override
            public CompletableFuture<Optional<Lease>> acquireLease(ExecutionKey execution, String owner, Duration ttl) {
                return dead ? new CompletableFuture<>() : super.acquireLease(execution, owner, ttl);
            }

            @Override
            public CompletableFuture<Boolean> renewLease(Lease lease, Duration ttl) {
                return dead ? new CompletableFuture<>() : super.renewLease(lease, ttl);
            }

            @Override
            public CompletableFuture<Void> releaseLease(Lease lease) {
                return dead ? new CompletableFuture<>() : super.releaseLease(lease);
            }

            @Override
            public CompletableFuture<Boolean> write(ExecutionRecord record, List<byte[]> newEvents, Lease lease) {
                return dead ? new CompletableFuture<>() : super.write(record, newEvents, lease);
            }

            @Override
            public CompletableFuture<Optional<ExecutionRecord>> read(ExecutionKey execution) {
                return dead ? new CompletableFuture<>() : super.read(execution);
            }

            @Override
            public CompletableFuture<List<byte[]>> events(ExecutionKey execution, long fromIndex) {
                return dead ? new CompletableFuture<>() : super.events(execution, fromIndex);
            }

            @Override
            public CompletableFuture<ActivePage> scanActive(String cursor, int limit) {
                return dead ? new CompletableFuture<>() : super.scanActive(cursor, limit);
            }
        };
    }
}
