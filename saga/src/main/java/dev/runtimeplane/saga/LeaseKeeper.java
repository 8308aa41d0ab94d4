package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.Lease;
import java.util.concurrent.CompletableFuture;

/**
 * Renews the leases of the executions this replica drives. A refused renewal means another replica
 * took the execution; a lease that could not be renewed before it expires (the store unreachable) is
 * treated the same way, because another replica may adopt it from then on. Either way the driver stops.
 *
 * <p>Runs on the scheduler's platform thread, and a reply is booked on the store's I/O thread that
 * completes it: neither can be held up by steps, however busy they keep the process, so a busy replica
 * keeps its leases. Both only do bookkeeping; stopping a driver (which may wait for its journal append)
 * happens on a virtual thread.
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
                lose(execution, "not renewed before it expired");
                continue;
            }
            CompletableFuture<Boolean> renewal;
            try {
                renewal = runtime.store.renewLease(lease, runtime.options.leaseTtl());
            } catch (RuntimeException e) {
                runtime.leaseRenewalFailures.increment();
                continue;
            }
            renewal.whenComplete((renewed, error) -> {
                if (error != null) {
                    runtime.leaseRenewalFailures.increment();
                } else if (renewed) {
                    runtime.leaseRenewals.increment();
                    execution.leaseRenewed(sentAt + ttlNanos);
                } else {
                    lose(execution, "renewal refused");
                }
            });
        }
    }

    private void lose(LiveExecution execution, String why) {
        runtime.virtualThreads.execute(() -> runtime.leaseLost(execution, why));
    }
}
