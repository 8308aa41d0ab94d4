package dev.runtimeplane.service;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.ComponentGroup;
import dev.runtimeplane.core.component.DrainReport;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.service.auth.ApiKeys;
import dev.runtimeplane.service.config.DevelopmentRedis;
import dev.runtimeplane.service.health.EventLoopWatchdog;
import dev.runtimeplane.service.intent.DeclaredIntents;
import dev.runtimeplane.state.SessionJournal;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.wal.WriteAheadLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's components: started event-loop watchdog -> WAL (open and recover) -> state surface -> session journal
 * (replay sessions into Redis) -> API keys (journal, configuration, Redis) -> intent definitions (files, journal, Redis) -> saga coordinator (recover). Health reads their cached snapshots.
 * Closing follows the architecture's SIGTERM steps: the coordinator and the session journal stop,
 * then the WAL is flushed, fsynced and closed, and only then are the Redis connections closed, so
 * nothing acknowledged depends on a connection that is already gone.
 */
public class RuntimeComponents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeComponents.class);

    private final EventLoopWatchdog eventLoops;
    private final WriteAheadLog writeAheadLog;
    private final StateSurface stateSurface;
    private final SessionJournal sessionJournal;
    private final ApiKeys apiKeys;
    private final DeclaredIntents declaredIntents;
    private final SagaCoordinator sagaCoordinator;
    private final Optional<DevelopmentRedis> developmentRedis;
    private final ComponentGroup group;
    private volatile boolean shuttingDown;

    public RuntimeComponents(EventLoopWatchdog eventLoops, WriteAheadLog writeAheadLog, StateSurface stateSurface,
                             ApiKeys apiKeys, DeclaredIntents declaredIntents, SagaCoordinator sagaCoordinator,
                             Optional<DevelopmentRedis> developmentRedis) {
        this.eventLoops = eventLoops;
        this.writeAheadLog = writeAheadLog;
        this.stateSurface = stateSurface;
        this.sessionJournal = stateSurface.sessionJournal()
                .orElseThrow(() -> new IllegalArgumentException("the service's state surface must journal sessions"));
        this.apiKeys = apiKeys;
        this.declaredIntents = declaredIntents;
        this.sagaCoordinator = sagaCoordinator;
        this.developmentRedis = developmentRedis;
        List<Component> components = new ArrayList<>();
        developmentRedis.ifPresent(components::add); // first: /health names it, and it is closed last
        components.addAll(List.of(eventLoops, writeAheadLog, stateSurface, sessionJournal, apiKeys, declaredIntents,
                sagaCoordinator));
        this.group = new ComponentGroup(components);
        // After the sessions (registered by the state surface itself), the API keys, the intent definitions and the
        // executions: the surface stays not ready until all are back in Redis.
        stateSurface.onDataLoss(apiKeys::restoreStore);
        stateSurface.onDataLoss(declaredIntents::restoreStore);
        stateSurface.onDataLoss(this::restoreExecutions);
    }

    /** Gives a Redis that lost its data back the executions this replica's WAL holds. */
    private void restoreExecutions() {
        try {
            int restored = sagaCoordinator.restoreStore();
            LOG.info("Redis lost its data: {} executions restored from this replica's journal", restored);
        } catch (UnavailableException e) {
            // Still starting: its own recovery, which runs next, restores them.
            LOG.info("Redis lost its data while the saga coordinator starts; its recovery restores the executions");
        }
    }

    /**
     * Starts the components; false when the shutdown began first or stopped the start (see
     * {@link #stopStarting()}), true once all are started.
     */
    public boolean start() throws Exception {
        if (shuttingDown) {
            LOG.info("the shutdown began before the components started: not starting them");
            return false;
        }
        try {
            group.start();
            return true;
        } catch (Exception e) {
            if (shuttingDown) {
                LOG.info("the components' start was abandoned for the shutdown ({})", e.toString());
                return false;
            }
            throw e;
        }
    }

    /**
     * Nothing starts from now on, and a start in progress is interrupted: it may wait for Redis without
     * end (the intent definitions) or recover for a while, and a SIGTERM must drain and exit within the
     * grace period, not wait for it. An interrupted start leaves the WAL as a crash would: recoverable.
     */
    public void stopStarting() {
        shuttingDown = true;
        group.stopStarting();
    }

    public Map<String, HealthSnapshot> health() {
        return group.health();
    }

    /** Stops a start in progress and waits for it to give up, then drains what started. */
    public Map<String, DrainReport> drain(Instant deadline) {
        shuttingDown = true;
        try {
            group.awaitStartStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        Map<String, DrainReport> reports = group.drain(deadline);
        LOG.info("drained: {}", reports);
        return reports;
    }

    /** Flushes and fsyncs everything appended to the WAL so far. */
    public void flushWriteAheadLog() {
        writeAheadLog.flush();
    }

    /**
     * Stops the coordinator and the session journal, closes the WAL (draining and fsyncing it), then
     * the Redis connections. Idempotent.
     */
    @Override
    public void close() {
        stopStarting();
        closeQuietly("saga coordinator", sagaCoordinator);
        closeQuietly("intent definitions (outbound HTTP client)", declaredIntents);
        closeQuietly("API keys (sync)", apiKeys);
        closeQuietly("session journal", sessionJournal);
        closeQuietly("write-ahead log", writeAheadLog);
        closeQuietly("state surface (Redis connections)", stateSurface);
        closeQuietly("event-loop watchdog", eventLoops);
        developmentRedis.ifPresent(redis -> closeQuietly("development redis-server", redis));
    }

    private static void closeQuietly(String what, AutoCloseable component) {
        try {
            component.close();
        } catch (Exception e) {
            LOG.error("closing the {} failed", what, e);
        }
    }
}
