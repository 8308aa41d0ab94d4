package dev.runtimeplane.service;

import dev.runtimeplane.core.port.SharedJournal;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaCoordinatorOptions;
import dev.runtimeplane.service.config.RedisUris;
import dev.runtimeplane.service.config.ReplicaIdentity;
import dev.runtimeplane.service.config.RuntimeConfiguration;
import dev.runtimeplane.service.health.EventLoopWatchdog;
import dev.runtimeplane.service.intent.IntentCatalog;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.state.StateSurfaceOptions;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.netty.channel.EventLoopGroupRegistry;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Builds the runtime's components from configuration. They are started in the background once the
 * HTTP servers are up ({@link RuntimeStarter}), so liveness answers during recovery and readiness
 * says what it is waiting for.
 */
@Factory
public class RuntimeFactory {

    @Singleton
    WriteAheadLog writeAheadLog(RuntimeConfiguration.Wal wal) {
        return new WriteAheadLog(WalOptions.builder(Path.of(wal.getDir()))
                .fsyncPolicy(FsyncPolicy.valueOf(wal.getFsyncPolicy().trim().toUpperCase(Locale.ROOT)))
                .fsyncInterval(wal.getFsyncInterval())
                .segmentSize(wal.getSegmentSize())
                .maxRecordSize(wal.getMaxRecordSize())
                .maxPendingBytes(wal.getMaxPendingBytes())
                .maxPendingAppends(wal.getMaxPendingAppends())
                .build());
    }

    /** The WAL as the saga coordinator and the session journal share it: its floor is the lower of their floors. */
    @Singleton
    SharedJournal sharedJournal(WriteAheadLog writeAheadLog) {
        return new SharedJournal(writeAheadLog);
    }

    @Singleton
    StateSurface stateSurface(RuntimeConfiguration.Redis redis, RuntimeConfiguration.Sessions sessions,
                              SharedJournal journal) {
        return new StateSurface(StateSurfaceOptions.builder()
                .redisUri(RedisUris.resolve(redis.getUri()))
                .keyPrefix(redis.getKeyPrefix())
                .commandTimeout(redis.getCommandTimeout())
                .executionRetention(redis.getExecutionRetention())
                .defaultSessionTtl(sessions.getDefaultTtl())
                .maxSessionTtl(sessions.getMaxTtl())
                .maxStateBytes(sessions.getMaxStateBytes())
                .journalCarryAfterRecords(sessions.getJournalCarryAfterRecords())
                .maxTrackedSessions(sessions.getMaxTracked())
                .maxSessionWritesInFlight(sessions.getMaxWritesInFlight())
                .build(), journal.member("sessions"));
    }

    @Singleton
    SagaCoordinator sagaCoordinator(RuntimeConfiguration runtime, RuntimeConfiguration.Wal wal,
                                    RuntimeConfiguration.Saga saga, RuntimeConfiguration.Redis redis, IntentCatalog catalog,
                                    SharedJournal journal, StateSurface stateSurface) {
        String replicaId = ReplicaIdentity.resolve(runtime.getReplicaId(), Path.of(wal.getDir()));
        return new SagaCoordinator(catalog.registry(), journal.member("saga"), stateSurface.executions(),
                stateSurface.replicas(), SagaCoordinatorOptions.builder(replicaId)
                        .concurrency(saga.getMaxConcurrency())
                        .maxExecutions(saga.getMaxExecutions())
                        .leaseTtl(saga.getLeaseTtl())
                        .storeRetention(redis.getExecutionRetention())
                        .build());
    }

    /** Watches the event loops that serve the API (Micronaut's default group) for /health/live. */
    @Singleton
    EventLoopWatchdog eventLoopWatchdog(EventLoopGroupRegistry eventLoops) {
        return new EventLoopWatchdog(eventLoops.getDefaultEventLoopGroup(), Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    @Singleton
    @Bean(preDestroy = "close")
    RuntimeComponents runtimeComponents(EventLoopWatchdog eventLoops, WriteAheadLog writeAheadLog,
                                        StateSurface stateSurface, SagaCoordinator sagaCoordinator) {
        return new RuntimeComponents(eventLoops, writeAheadLog, stateSurface, sagaCoordinator);
    }
}
