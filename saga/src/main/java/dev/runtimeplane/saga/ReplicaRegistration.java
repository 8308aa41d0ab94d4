package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.port.ReplicaRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process the only one driving work under its replica id. Leases are granted to a replica id,
 * so a second process with the same id would take this one's executions without anyone noticing. The id
 * is claimed with a random instance nonce for one lease TTL and claimed again every lease renewal interval
 * (from the scheduler thread, booked on the store's thread, like the leases).
 *
 * <p>At start the claim waits at most one TTL for a previous holder's claim to lapse (a process killed
 * without releasing it), then gives up: the id is in use by a live process. It also waits for an
 * unreachable store: until the id is confirmed, this process drives nothing. A claim found taken later
 * (this process was paused past its TTL and another took the id) calls {@code onTaken} once, on a platform
 * thread of its own.
 */
final class ReplicaRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRegistration.class);

    private final SagaRuntime runtime;
    private final ReplicaRegistry registry;
    private final Runnable onTaken;
    private final String instance = Ids.random();
    private final AtomicBoolean taken = new AtomicBoolean();

    ReplicaRegistration(SagaRuntime runtime, ReplicaRegistry registry, Runnable onTaken) {
        this.runtime = runtime;
        this.registry = registry;
        this.onTaken = onTaken;
    }

    /**
     * Claims the replica id, waiting at most one lease TTL while another instance holds it, and as long as
     * it takes for the store to answer (the id cannot be confirmed without it, and nothing can be driven
     * without it either).
     *
     * @param keepTrying false once the coordinator is closed
     * @throws RuntimePlaneException CONFLICT when another running process holds the id
     */
    void claimAtStart(BooleanSupplier keepTrying) throws InterruptedException {
        String replicaId = runtime.options.replicaId();
        long heldElsewhereSince = 0;
        boolean waitingForStore = false;
        while (keepTrying.getAsBoolean()) {
            boolean held;
            try {
                held = Failures.await(claim(), runtime.options.storeTimeout(), "claiming the replica id");
            } catch (UnavailableException e) {
                if (!waitingForStore) {
                    waitingForStore = true;
                    LOG.info("replica id {} is claimed once the state store answers ({})", replicaId, e.getMessage());
                }
                Thread.sleep(runtime.options.leaseRenewInterval().toMillis());
                continue;
            }
            if (held) {
                if (heldElsewhereSince != 0) {
                    LOG.info("replica id {} lapsed and is this process's now", replicaId);
                }
                return;
            }
            long now = runtime.clock.nanoTime();
            if (heldElsewhereSince == 0) {
                heldElsewhereSince = now;
                LOG.warn("replica id {} is held by another process instance; waiting up to {} for its claim to lapse"
                        + " (a process that was killed holds it until then)", replicaId, runtime.options.leaseTtl());
            } else if (now - heldElsewhereSince > runtime.options.leaseTtl().toNanos()
                    + runtime.options.leaseRenewInterval().toNanos()) {
                throw new RuntimePlaneException(ErrorCode.CONFLICT, "replica id " + replicaId + " is in use by another"
                        + " running process: two processes must not share a replica id (give each replica its own id"
                        + " or its own WAL directory)");
            }
            Thread.sleep(runtime.options.leaseRenewInterval().toMillis());
        }
        throw new UnavailableException("closed while claiming replica id " + replicaId, null);
    }

    /** Scheduled on the scheduler thread: claims the id again; finding it taken stops this process's work. */
    void run() {
        if (taken.get()) {
            return;
        }
        claim().whenComplete((held, error) -> {
            if (error == null && !held && taken.compareAndSet(false, true)) {
                LOG.error("replica id {} was taken by another process instance: two processes share it. This one stops"
                        + " driving work and reports itself not live", runtime.options.replicaId());
                Thread.ofPlatform().name("saga-replica-id-taken").start(onTaken);
            }
        });
    }

    boolean taken() {
        return taken.get();
    }

    /** Gives the id up on close, so that a restart with the same id can claim it at once. */
    CompletableFuture<Void> release() {
        if (taken.get()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return registry.release(runtime.options.replicaId(), instance);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Boolean> claim() {
        try {
            return registry.claim(runtime.options.replicaId(), instance, runtime.options.leaseTtl());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
