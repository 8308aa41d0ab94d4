package dev.runtimeplane.saga;

import dev.runtimeplane.core.component.HealthCell;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The coordinator's cached health. The scheduler thread (a platform thread that renews the leases) beats
 * and publishes a snapshot every {@code heartbeatInterval}; reading it is a volatile read.
 *
 * <p>Live means not stuck, and busy is not stuck. The coordinator is stuck when
 * <ul>
 *   <li>its scheduler thread has not beaten for {@code livenessThreshold} (then leases are not renewed
 *       either); a stuck scheduler cannot publish that, so {@link #get()} checks the beat's age, or</li>
 *   <li>work waits for a permit while no step attempt runs and none has started or finished for
 *       {@code livenessThreshold}, and the store is not failing (the permits are held by drivers that do
 *       not come back, for example from a journal append). Waiting on an unreachable store is not stuck:
 *       liveness never depends on Redis.</li>
 * </ul>
 * Attempts running, however long, are busy.
 */
final class CoordinatorHealth {

    static final String NAME = "sagaCoordinator";
    private static final Duration STORE_FAILURE_MEMORY = Duration.ofSeconds(10);

    private final SagaRuntime runtime;
    private final HealthCell cell;
    /** 0 until the scheduler beats for the first time, and again once it has been stopped on close. */
    private volatile long lastBeatNanos;

    CoordinatorHealth(SagaRuntime runtime) {
        this.runtime = runtime;
        this.cell = new HealthCell(HealthSnapshot.starting(NAME, runtime.clock.now()));
    }

    /** The latest snapshot, or a not-live one when the scheduler thread has stopped beating. */
    HealthSnapshot get() {
        HealthSnapshot published = cell.get();
        long beat = lastBeatNanos;
        if (beat == 0) {
            return published;
        }
        long ageMillis = (runtime.clock.nanoTime() - beat) / 1_000_000;
        if (ageMillis < runtime.options.livenessThreshold().toMillis()) {
            return published;
        }
        Map<String, Object> details = new LinkedHashMap<>(published.details());
        details.put("heartbeatAgeMs", ageMillis);
        return new HealthSnapshot(NAME, HealthStatus.DOWN, false, "the saga scheduler thread has not run for "
                + ageMillis + " ms (stuck): leases are not being renewed", details, runtime.clock.now());
    }

    /** On the scheduler thread, every heartbeat interval. */
    void beat() {
        lastBeatNanos = Math.max(1, runtime.clock.nanoTime());
    }

    /** The scheduler is shut down on close: its silence means nothing from then on. */
    void stopBeating() {
        lastBeatNanos = 0;
    }

    /** Computes and publishes a snapshot for the coordinator in {@code phase}. */
    void publish(Phase phase, long journalFloor) {
        long beat = lastBeatNanos;
        long heartbeatAge = beat == 0 ? 0 : Math.max(0, (runtime.clock.nanoTime() - beat) / 1_000_000);
        long idleMillis = runtime.attempts.idleNanos() / 1_000_000;
        int queued = runtime.queued.get();
        int attemptsRunning = runtime.attempts.running();
        boolean storeFailing = runtime.storeFailing
                && runtime.clock.nanoTime() - runtime.lastStoreFailureNanos < STORE_FAILURE_MEMORY.toNanos();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("replica", runtime.options.replicaId());
        details.put("executionsInFlight", runtime.live.size());
        details.put("executionLimit", runtime.live.limit());
        details.put("running", runtime.options.concurrency() - runtime.permits.availablePermits());
        details.put("queued", queued);
        details.put("concurrencyLimit", runtime.options.concurrency());
        details.put("attemptsRunning", attemptsRunning);
        details.put("heartbeatAgeMs", heartbeatAge);
        details.put("leaseRenewals", runtime.leaseRenewals.sum());
        details.put("leaseRenewalFailures", runtime.leaseRenewalFailures.sum());
        details.put("failuresLastMinute", runtime.failures.lastMinute());
        details.put("recovering", runtime.recovering.size());
        details.put("started", runtime.started.sum());
        details.put("completed", runtime.completed.sum());
        details.put("compensated", runtime.compensated.sum());
        details.put("cancelled", runtime.cancelled.sum());
        details.put("failed", runtime.failed.sum());
        details.put("recovered", runtime.recovered.sum());
        details.put("adopted", runtime.adopted.sum());
        details.put("lost", runtime.lost.sum());
        details.put("awaitingAdoption", runtime.awaitingAdoption);
        details.put("journalFloor", journalFloor);
        boolean stalled = phase != Phase.CLOSED && queued > 0 && attemptsRunning == 0 && !storeFailing
                && idleMillis >= runtime.options.livenessThreshold().toMillis();
        HealthStatus status = HealthStatus.UP;
        String reason = "";
        Throwable journalFailure = runtime.journalFailure.get();
        if (phase == Phase.CLOSED) {
            status = HealthStatus.DOWN;
            reason = "closed";
        } else if (phase == Phase.REPLICA_ID_TAKEN) {
            status = HealthStatus.DOWN;
            reason = "replica id " + runtime.options.replicaId() + " was taken by another process; this one stopped"
                    + " driving work";
        } else if (journalFailure != null) {
            status = HealthStatus.DOWN;
            reason = "the journal cannot make transitions durable: " + journalFailure.getMessage();
        } else if (phase == Phase.DRAINING) {
            status = HealthStatus.DOWN;
            reason = "draining: new sagas are refused";
        } else if (storeFailing) {
            status = HealthStatus.DEGRADED;
            reason = "state store writes are failing and being retried";
        } else if (!runtime.recovering.isEmpty()) {
            status = HealthStatus.DEGRADED;
            reason = "recovering " + runtime.recovering.size() + " executions from the journal";
        }
        if (stalled) {
            reason = (reason.isEmpty() ? "" : reason + "; ") + queued + " executions wait for a permit, but no step"
                    + " attempt has run, started or finished for " + idleMillis + " ms (stuck)";
        }
        boolean live = !stalled && phase != Phase.REPLICA_ID_TAKEN;
        cell.publish(new HealthSnapshot(NAME, status, live, reason, details, runtime.clock.now()));
    }

    enum Phase {
        RUNNING, DRAINING, CLOSED,
        /** Another process claimed this replica id: nothing is driven any more; a restart is what helps. */
        REPLICA_ID_TAKEN
    }
}
