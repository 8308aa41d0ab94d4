package dev.runtimeplane.service.metrics;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.service.RuntimeComponents;
import dev.runtimeplane.service.health.HealthReport;
import dev.runtimeplane.service.lifecycle.DrainState;
import dev.runtimeplane.service.intent.DeclaredIntents;
import dev.runtimeplane.state.SessionJournal;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.wal.WriteAheadLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The runtime's own figures for Prometheus ({@code /prometheus} on the management port), read from
 * the components' cached health and metric snapshots at scrape time: no I/O, no locks.
 */
@Singleton
public class RuntimeMetrics implements MeterBinder {

    private static final List<String> EXECUTION_OUTCOMES = List.of("started", "completed", "compensated",
            "cancelled", "failed", "recovered", "adopted", "lost");

    private final WriteAheadLog writeAheadLog;
    private final StateSurface stateSurface;
    private final SagaCoordinator coordinator;
    private final DeclaredIntents declaredIntents;
    private final RuntimeComponents components;
    private final DrainState drainState;

    public RuntimeMetrics(WriteAheadLog writeAheadLog, StateSurface stateSurface, SagaCoordinator coordinator,
                          DeclaredIntents declaredIntents, RuntimeComponents components, DrainState drainState) {
        this.writeAheadLog = writeAheadLog;
        this.stateSurface = stateSurface;
        this.coordinator = coordinator;
        this.declaredIntents = declaredIntents;
        this.components = components;
        this.drainState = drainState;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("runtime.ready", this, metrics -> metrics.ready() ? 1 : 0)
                .description("1 while /health/ready answers 200: every component ready and not draining").register(registry);
        bindExecutions(registry);
        bindWriteAheadLog(registry);
        Gauge.builder("runtime.redis.round.trip", stateSurface, surface -> detail(surface, "roundTripMillis"))
                .description("Round-trip time of the latest background PING to Redis").baseUnit("milliseconds")
                .register(registry);
        Gauge.builder("runtime.redis.connected", stateSurface, surface -> detail(surface, "connected"))
                .description("1 while the state surface is connected to Redis").register(registry);
        stateSurface.sessionJournal().ifPresent(journal -> bindSessionJournal(registry, journal));
        bindRedisBatches(registry);
        bindDeclaredIntents(registry, declaredIntents);
    }

    private static void bindDeclaredIntents(MeterRegistry registry, DeclaredIntents intents) {
        Gauge.builder("runtime.intents.declared", intents, declared -> detail(declared, "registered"))
                .description("Declarative intent type versions registered on this replica").register(registry);
        Gauge.builder("runtime.outbound.connections.leased", intents, declared -> detail(declared, "outboundLeased"))
                .description("Outbound HTTP connections in use by declarative steps").register(registry);
        Gauge.builder("runtime.outbound.connections.pending", intents, declared -> detail(declared, "outboundPending"))
                .description("Declarative step calls waiting for an outbound connection (bounded by their step's timeout)")
                .register(registry);
        Gauge.builder("runtime.outbound.connections.max", intents, declared -> detail(declared, "outboundMax"))
                .description("Bound on outbound HTTP connections (runtime.outbound.max-connections)").register(registry);
    }

    /** The queues of writes waiting for their batch to Redis (each bounded: past it, a write fails and is retried). */
    private void bindRedisBatches(MeterRegistry registry) {
        Map<String, ToDoubleFunction<StateSurface>> queues = Map.of(
                "execution-writes", surface -> surface.executions().recordWritesWaiting(),
                "lease-requests", surface -> surface.executions().leaseRequestsWaiting(),
                "active-index", surface -> surface.executions().activeChangesWaiting(),
                "admin-index", surface -> surface.executionIndex().updatesWaiting());
        queues.forEach((kind, waiting) -> Gauge.builder("runtime.redis.batch.waiting", stateSurface, waiting)
                .description("Writes waiting for their batch to Redis, by kind").tag("kind", kind).register(registry));
    }

    private static void bindSessionJournal(MeterRegistry registry, SessionJournal journal) {
        Gauge.builder("runtime.sessions.journaled", journal, sessions -> detail(sessions, "trackedSessions"))
                .description("Live sessions whose latest records this replica's WAL keeps").register(registry);
        Gauge.builder("runtime.sessions.journal.floor", journal, sessions -> detail(sessions, "floor"))
                .description("WAL sequence below which no session record is needed").register(registry);
        Gauge.builder("runtime.sessions.restored", journal, sessions -> detail(sessions, "restoredSessions"))
                .description("Sessions given back to Redis from the WAL by the latest replay").register(registry);
        Gauge.builder("runtime.sessions.writes.in.flight", journal, sessions -> detail(sessions, "writesInFlight"))
                .description("Session writes waiting for Redis and the WAL").register(registry);
        FunctionCounter.builder("runtime.sessions.refused.at.bound", journal, sessions -> detail(sessions, "refusedAtBound"))
                .description("Session writes refused (503) at the bound of tracked sessions or writes in flight")
                .register(registry);
        FunctionCounter.builder("runtime.sessions.rebuilds", journal, sessions -> detail(sessions, "rebuilds"))
                .description("Replays of the WAL into Redis after Redis lost its data while this replica ran")
                .register(registry);
    }

    private void bindExecutions(MeterRegistry registry) {
        for (String gauge : List.of("running", "queued", "executionsInFlight")) {
            Gauge.builder("runtime.executions.current", coordinator, saga -> detail(saga, gauge))
                    .description("Executions by current state on this replica").tag("state", gauge)
                    .register(registry);
        }
        for (String outcome : EXECUTION_OUTCOMES) {
            FunctionCounter.builder("runtime.executions", coordinator, saga -> detail(saga, outcome))
                    .description("Executions by what happened to them on this replica").tag("outcome", outcome)
                    .register(registry);
        }
        Gauge.builder("runtime.executions.failures.last.minute", coordinator, saga -> detail(saga, "failuresLastMinute"))
                .description("Failed step and compensation attempts in the last 60 s").register(registry);
        Gauge.builder("runtime.executions.awaiting.adoption", coordinator, saga -> detail(saga, "awaitingAdoption"))
                .description("Executions with a free lease that the latest adoption walk did not adopt "
                        + "(this replica full, or their definition version not registered here)").register(registry);
        Gauge.builder("runtime.executions.limit", coordinator, saga -> detail(saga, "executionLimit"))
                .description("Executions this replica holds at most; past it new intents answer 503").register(registry);
        Gauge.builder("runtime.saga.heartbeat.age", coordinator, saga -> detail(saga, "heartbeatAgeMs"))
                .description("Age of the saga scheduler thread's latest beat").baseUnit("milliseconds")
                .register(registry);
        FunctionCounter.builder("runtime.saga.lease.renewals", coordinator, saga -> detail(saga, "leaseRenewals"))
                .description("Lease renewals Redis confirmed").register(registry);
        FunctionCounter.builder("runtime.saga.lease.renewal.failures", coordinator,
                        saga -> detail(saga, "leaseRenewalFailures"))
                .description("Lease renewals that failed (Redis unreachable or too slow)").register(registry);
    }

    private void bindWriteAheadLog(MeterRegistry registry) {
        FunctionCounter.builder("runtime.wal.appends", writeAheadLog, wal -> wal.metrics().appends())
                .description("Records appended to the write-ahead log").register(registry);
        FunctionCounter.builder("runtime.wal.bytes", writeAheadLog, wal -> wal.metrics().bytes())
                .baseUnit("bytes").register(registry);
        FunctionTimer.builder("runtime.wal.fsync", writeAheadLog,
                        wal -> wal.metrics().fsyncNanos().count(), wal -> wal.metrics().fsyncNanos().sum(),
                        TimeUnit.NANOSECONDS)
                .description("fdatasync calls of the write-ahead log and their total time").register(registry);
        Gauge.builder("runtime.wal.fsync.p99", writeAheadLog, wal -> wal.metrics().fsyncNanos().percentile(0.99) / 1e6)
                .baseUnit("milliseconds").register(registry);
        Gauge.builder("runtime.wal.fsync.max", writeAheadLog, wal -> wal.metrics().fsyncNanos().max() / 1e6)
                .baseUnit("milliseconds").register(registry);
        FunctionCounter.builder("runtime.wal.batches", writeAheadLog, wal -> wal.metrics().batchRecords().count())
                .description("Group commits (one write, at most one fdatasync each)").register(registry);
        Gauge.builder("runtime.wal.batch.records.mean", writeAheadLog, wal -> wal.metrics().batchRecords().mean())
                .description("Mean records per group commit").register(registry);
        Gauge.builder("runtime.wal.last.sequence", writeAheadLog, wal -> detail(wal, "lastSequence")).register(registry);
        Gauge.builder("runtime.wal.last.fsync.age", writeAheadLog, wal -> detail(wal, "lastFsyncAgeMillis"))
                .baseUnit("milliseconds").register(registry);
        Gauge.builder("runtime.wal.pending.appends", writeAheadLog, wal -> detail(wal, "pendingAppends"))
                .description("Appends waiting for the write-ahead log's writer (bounded)").register(registry);
        Gauge.builder("runtime.wal.pending.bytes", writeAheadLog, wal -> detail(wal, "pendingBytes"))
                .baseUnit("bytes").register(registry);
        FunctionCounter.builder("runtime.wal.overloaded", writeAheadLog, wal -> wal.metrics().overloaded())
                .description("Appends refused because the write-ahead log's queue was full").register(registry);
    }

    private boolean ready() {
        return HealthReport.of(components.health(), drainState.draining()).ready();
    }

    /** A numeric health detail (booleans as 1/0), NaN when absent. */
    private static double detail(Component component, String key) {
        Object value = component.health().details().get(key);
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Boolean flag) {
            return flag ? 1 : 0;
        }
        return Double.NaN;
    }
}
