package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.Lease;
import java.util.concurrent.CompletableFuture;

/**
 * Renews the leases of the executions this replica drives. A refused renewal means another replica
 * took the execution; a lease that could not be renewed before it expires (the store unreachable) is
 * treated the same way, because another replica may adopt it from then on. Either way the driver stops.
 */
final class LeaseKeeper implements Runnable {

    private final SagaRuntime runtime;

    LeaseKeeper(SagaRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void run() {
        long ttlNanos = runtime.options.leaseTtl().toNanos();
        for (LiveExecution execution : runtime.live.values()) {
            Lease lease = execution.lease();
            if (execution.stopReason() != null || lease == null) {
                continue;
            }
            long sentAt = runtime.clock.nanoTime();
            if (sentAt - execution.leaseValidUntilNanos() >= 0) {
                // Off the scheduler thread: stopping a driver may wait for its journal append.
                runtime.virtualThreads.execute(() -> runtime.leaseLost(execution, "not renewed before it expired"));
                continue;
            }
            CompletableFuture<Boolean> renewal;
            try {
                renewal = runtime.store.renewLease(lease, runtime.options.leaseTtl());
            } catch (RuntimeException e) {
                continue;
            }
            renewal.whenCompleteAsync((renewed, error) -> {
                if (error != null) {
                    return;
                }
                if (renewed) {
                    execution.leaseRenewed(sentAt + ttlNanos);
                } else {
                    runtime.leaseLost(execution, "renewal refused");
                }
            }, runtime.virtualThreads);
        }
    }
}
