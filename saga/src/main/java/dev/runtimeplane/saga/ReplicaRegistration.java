package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.port.ReplicaRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process the only one driving work under its replica id. Leases are granted to a replica id,
 * so a second process with the same id would take this one's executions without anyone noticing. The id
 * is claimed with a random instance nonce for one lease TTL and claimed again every lease renewal interval
 * (from the scheduler thread, booked on the store's thread, like the leases).
 *
 * <p>At start the claim waits at most one TTL for a previous holder's claim to lapse (a process killed
 * without releasing it), then gives up: the id is in use by a live process. A claim found taken later
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
     * Claims the replica id, waiting at most one lease TTL while another instance holds it. When the
     * store cannot be reached, start-up goes on and the id is claimed in the background ({@link #run()}).
     *
     * @throws RuntimePlaneException CONFLICT when another running process holds the id
     */
    void claimAtStart() throws InterruptedException {
        String replicaId = runtime.options.replicaId();
        long deadline = runtime.clock.nanoTime() + runtime.options.leaseTtl().toNanos()
                + runtime.options.leaseRenewInterval().toNanos();
        boolean waiting = false;
        while (true) {
            boolean held;
            try {
                held = Failures.await(claim(), runtime.options.storeTimeout(), "claiming the replica id");
            } catch (UnavailableException e) {
                LOG.warn("replica id {} could not be claimed ({}); starting anyway and claiming it in the background",
                        replicaId, e.getMessage());
                return;
            }
            if (held) {
                if (waiting) {
                    LOG.info("replica id {} lapsed and is this process's now", replicaId);
                }
                return;
            }
            if (runtime.clock.nanoTime() - deadline > 0) {
                throw new RuntimePlaneException(ErrorCode.CONFLICT, "replica id " + replicaId + " is in use by another"
                        + " running process: two processes must not share a replica id (give each replica its own id"
                        + " or its own WAL directory)");
            }
            if (!waiting) {
                waiting = true;
                LOG.warn("replica id {} is held by another process instance; waiting up to {} for its claim to lapse"
                        + " (a process that was killed holds it until then)", replicaId, runtime.options.leaseTtl());
            }
            Thread.sleep(runtime.options.leaseRenewInterval().toMillis());
        }
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
