package dev.runtimeplane.saga;

import dev.runtimeplane.core.component.HealthCell;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The coordinator's cached health. An executor heartbeat (a tiny task run on the same virtual-thread
 * executor as the steps) proves that saga work still gets scheduled; a probe on the scheduler thread
 * turns the counters into a snapshot. Reading it is a volatile read.
 */
final class CoordinatorHealth {

    static final String NAME = "sagaCoordinator";
    private static final Duration STORE_FAILURE_MEMORY = Duration.ofSeconds(10);

    private final SagaRuntime runtime;
    private final HealthCell cell;
    private volatile long lastBeatNanos;

    CoordinatorHealth(SagaRuntime runtime) {
        this.runtime = runtime;
        this.cell = new HealthCell(HealthSnapshot.starting(NAME, runtime.clock.now()));
        this.lastBeatNanos = runtime.clock.nanoTime();
    }

    HealthSnapshot get() {
        return cell.get();
    }

    /** Scheduled: hands a beat to the executor; if the executor is stuck, the beat's age grows. */
    void scheduleBeat() {
        runtime.virtualThreads.execute(() -> lastBeatNanos = runtime.clock.nanoTime());
    }

    long heartbeatAgeMillis() {
        return Math.max(0, (runtime.clock.nanoTime() - lastBeatNanos) / 1_000_000);
    }

    /** Computes and publishes a snapshot for the coordinator in {@code phase}. */
    void publish(Phase phase, long checkpoint) {
        long heartbeatAge = heartbeatAgeMillis();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("replica", runtime.options.replicaId());
        details.put("executionsInFlight", runtime.live.size());
        details.put("running", runtime.options.concurrency() - runtime.permits.availablePermits());
        details.put("queued", runtime.queued.get());
        details.put("concurrencyLimit", runtime.options.concurrency());
        details.put("heartbeatAgeMs", heartbeatAge);
        details.put("failuresLastMinute", runtime.failures.lastMinute());
        details.put("recovering", runtime.recovering.size());
        details.put("started", runtime.started.sum());
        details.put("completed", runtime.completed.sum());
        details.put("compensated", runtime.compensated.sum());
        details.put("failed", runtime.failed.sum());
        details.put("recovered", runtime.recovered.sum());
        details.put("adopted", runtime.adopted.sum());
        details.put("lost", runtime.lost.sum());
        details.put("journalCheckpoint", checkpoint);
        boolean live = heartbeatAge < runtime.options.livenessThreshold().toMillis();
        HealthStatus status = HealthStatus.UP;
        String reason = "";
        Throwable journalFailure = runtime.journalFailure.get();
        if (phase == Phase.CLOSED) {
            status = HealthStatus.DOWN;
            reason = "closed";
        } else if (journalFailure != null) {
            status = HealthStatus.DOWN;
            reason = "the journal cannot make transitions durable: " + journalFailure.getMessage();
        } else if (phase == Phase.DRAINING) {
            status = HealthStatus.DOWN;
            reason = "draining: new sagas are refused";
        } else if (runtime.storeFailing && runtime.clock.nanoTime() - runtime.lastStoreFailureNanos
                < STORE_FAILURE_MEMORY.toNanos()) {
            status = HealthStatus.DEGRADED;
            reason = "state store writes are failing and being retried";
        } else if (!runtime.recovering.isEmpty()) {
            status = HealthStatus.DEGRADED;
            reason = "recovering " + runtime.recovering.size() + " executions from the journal";
        }
        if (!live) {
            reason = (reason.isEmpty() ? "" : reason + "; ") + "saga executor heartbeat is " + heartbeatAge + " ms old";
        }
        cell.publish(new HealthSnapshot(NAME, status, live, reason, details, runtime.clock.now()));
    }

    enum Phase {
        RUNNING, DRAINING, CLOSED
    }
}
