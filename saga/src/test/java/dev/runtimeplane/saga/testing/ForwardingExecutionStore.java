package dev.runtimeplane.saga.testing;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ActivePage;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.ExecutionStore;
import dev.runtimeplane.core.port.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Passes every call to a delegate; tests override single calls to inject faults. */
public class ForwardingExecutionStore implements ExecutionStore {

    private final ExecutionStore delegate;

    public ForwardingExecutionStore(ExecutionStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<ExecutionId> claimIdempotencyKey(TenantId tenant, SessionId session, String key,
                                                              ExecutionId candidate, Duration ttl) {
        return delegate.claimIdempotencyKey(tenant, session, key, candidate, ttl);
    }

    @Override
    public CompletableFuture<Optional<Lease>> acquireLease(ExecutionKey execution, String owner, Duration ttl) {
        return delegate.acquireLease(execution, owner, ttl);
    }

    @Override
    public CompletableFuture<Boolean> renewLease(Lease lease, Duration ttl) {
        return delegate.renewLease(lease, ttl);
    }

    @Override
    public CompletableFuture<Void> releaseLease(Lease lease) {
        return delegate.releaseLease(lease);
    }

    @Override
    public CompletableFuture<Boolean> write(ExecutionRecord record, List<byte[]> newEvents, Lease lease) {
        return delegate.write(record, newEvents, lease);
    }

    @Override
    public CompletableFuture<Optional<ExecutionRecord>> read(ExecutionKey execution) {
        return delegate.read(execution);
    }

    @Override
    public CompletableFuture<List<byte[]>> events(ExecutionKey execution, long fromIndex) {
        return delegate.events(execution, fromIndex);
    }

    @Override
    public CompletableFuture<Optional<String>> leaseHolder(ExecutionKey execution) {
        return delegate.leaseHolder(execution);
    }

    @Override
    public CompletableFuture<Void> requestCancel(String owner, ExecutionKey execution, String request) {
        return delegate.requestCancel(owner, execution, request);
    }

    @Override
    public CompletableFuture<Map<ExecutionKey, String>> takeCancelRequests(String owner) {
        return delegate.takeCancelRequests(owner);
    }

    @Override
    public CompletableFuture<ActivePage> scanActive(String cursor, int limit) {
        return delegate.scanActive(cursor, limit);
    }
}
