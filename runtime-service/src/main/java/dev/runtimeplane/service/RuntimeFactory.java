package dev.runtimeplane.service;

import dev.runtimeplane.core.port.SharedJournal;
import dev.runtimeplane.declarative.DefinitionParser;
import dev.runtimeplane.declarative.HttpSagaFactory;
import dev.runtimeplane.declarative.OutboundPolicy;
import dev.runtimeplane.declarative.SecretResolver;
import dev.runtimeplane.declarative.SessionMetadataSource;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaCoordinatorOptions;
import dev.runtimeplane.service.auth.ApiKeys;
import dev.runtimeplane.service.auth.AuthConfiguration;
import dev.runtimeplane.service.config.DevelopmentRedis;
import dev.runtimeplane.service.config.RedisUris;
import dev.runtimeplane.service.config.ReplicaIdentity;
import dev.runtimeplane.service.config.RuntimeConfiguration;
import dev.runtimeplane.service.config.SessionTokenSecret;
import dev.runtimeplane.service.health.EventLoopWatchdog;
import dev.runtimeplane.service.intent.DeclaredIntents;
import dev.runtimeplane.service.intent.IntentCatalog;
import dev.runtimeplane.service.limits.LimitsConfiguration;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.state.StateSurfaceOptions;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.netty.channel.EventLoopGroupRegistry;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    /** Development mode only: a throw-away redis-server, used when no Redis URI is configured. */
    @Singleton
    @Requires(property = "runtime.development-mode", value = "true")
    DevelopmentRedis developmentRedis() {
        return new DevelopmentRedis();
    }

    @Singleton
    StateSurface stateSurface(RuntimeConfiguration.Redis redis, RuntimeConfiguration.Sessions sessions,
                              LimitsConfiguration limits, SharedJournal journal,
                              Optional<DevelopmentRedis> developmentRedis) {
        StateSurfaceOptions.Builder options = StateSurfaceOptions.builder();
        SessionTokenSecret.read(sessions.getTokenSecretFile()).ifPresent(options::sessionTokenSecret);
        return new StateSurface(options
                .redisUri(RedisUris.resolve(redis.getUri(), developmentRedis))
                .keyPrefix(redis.getKeyPrefix())
                .commandTimeout(redis.getCommandTimeout())
                .executionRetention(redis.getExecutionRetention())
                .defaultSessionTtl(sessions.getDefaultTtl())
                .maxSessionTtl(sessions.getMaxTtl())
                .maxStateBytes(sessions.getMaxStateBytes())
                .journalCarryAfterRecords(sessions.getJournalCarryAfterRecords())
                .maxTrackedSessions(sessions.getMaxTracked())
                .maxSessionWritesInFlight(sessions.getMaxWritesInFlight())
                .maxSessionsPerTenant(limits.getTenantSessions())
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
                        .stepThreadNice(saga.getStepThreadNice())
                        .storeRetention(redis.getExecutionRetention())
                        .build());
    }

    @Singleton
    OutboundPolicy outboundPolicy(RuntimeConfiguration.Outbound outbound) {
        OutboundPolicy.Builder policy = OutboundPolicy.builder()
                .connectTimeout(outbound.getConnectTimeout())
                .maxResponseBytes(outbound.getMaxResponseBytes())
                .maxResultBytes(outbound.getMaxResultBytes())
                .maxConnections(outbound.getMaxConnections());
        outbound.getAllow().stream().map(String::trim).filter(entry -> !entry.isEmpty()).forEach(policy::allow);
        return policy.build();
    }

    /**
     * Declarative intent types: definition files, admin registrations, shared through Redis and journaled in
     * the WAL. Their steps see the submitting session's metadata (read from Redis when a step renders).
     */
    @Singleton
    DeclaredIntents declaredIntents(RuntimeConfiguration.Intents intents, RuntimeConfiguration.Redis redis,
                                    OutboundPolicy policy, IntentCatalog catalog, StateSurface stateSurface,
                                    SharedJournal journal) {
        Duration timeout = redis.getCommandTimeout().multipliedBy(2);
        SessionMetadataSource metadata = (tenant, session) -> {
            try {
                return stateSurface.sessions().get(tenant, session).get(timeout.toMillis(), TimeUnit.MILLISECONDS).metadata();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.of();
            } catch (ExecutionException | TimeoutException e) {
                return Map.of(); // the session is gone or Redis is unreachable: templates see no metadata
            }
        };
        String dir = intents.getDefinitionsDir() == null ? "" : intents.getDefinitionsDir().trim();
        return new DeclaredIntents(catalog, new DefinitionParser(policy),
                new HttpSagaFactory(policy, SecretResolver.standard(), metadata), stateSurface.intentTypes(),
                journal.member("intent-definitions"), dir.isEmpty() ? null : Path.of(dir));
    }

    /** Tenant API keys: journaled in the WAL, shared through Redis. */
    @Singleton
    ApiKeys apiKeys(StateSurface stateSurface, SharedJournal journal, AuthConfiguration auth,
                    @Property(name = "runtime.development-mode", defaultValue = "false") boolean developmentMode) {
        ApiKeys.requireDevelopmentModeForDevKey(auth, developmentMode);
        return new ApiKeys(stateSurface.apiKeys(), journal.member("api-keys"), auth, Clock.systemUTC());
    }

    /** Watches the event loops that serve the API (Micronaut's default group) for /health/live. */
    @Singleton
    EventLoopWatchdog eventLoopWatchdog(EventLoopGroupRegistry eventLoops) {
        return new EventLoopWatchdog(eventLoops.getDefaultEventLoopGroup(), Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    @Singleton
    @Bean(preDestroy = "close")
    RuntimeComponents runtimeComponents(EventLoopWatchdog eventLoops, WriteAheadLog writeAheadLog,
                                        StateSurface stateSurface, ApiKeys apiKeys, DeclaredIntents declaredIntents,
                                        SagaCoordinator sagaCoordinator, Optional<DevelopmentRedis> developmentRedis) {
        return new RuntimeComponents(eventLoops, writeAheadLog, stateSurface, apiKeys, declaredIntents, sagaCoordinator,
                developmentRedis);
    }
}
