package dev.runtimeplane.state;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.HealthCell;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.port.Journal;
import java.util.Objects;
import java.util.Optional;

/**
 * Redis-backed sessions, session state, executions and leases, as one component.
 *
 * <p>{@link #start()} never fails because Redis is down: it starts the background health probe,
 * which connects as soon as Redis answers (health is DOWN with the reason until then) and PINGs it
 * every {@code healthInterval} afterwards. Calls made while Redis is unreachable fail fast with
 * {@code UnavailableException}; after an outage Lettuce reconnects by itself and calls succeed
 * again without restarting anything. When Redis comes back without its data, the surface notices
 * and rebuilds ({@link #onDataLoss}).
 *
 * <pre>{@code
 * StateSurface state = new StateSurface(StateSurfaceOptions.builder().redisUri("redis://localhost:6379").build());
 * state.start();
 * CreatedSession created = state.sessions().create(tenant, "alice", Map.of()).join();
 * }</pre>
 */
public final class StateSurface implements Component {

    public static final String NAME = "stateSurface";

    private final StateSurfaceOptions options;
    private final HealthCell health;
    private final RedisLink link;
    private final HealthProbe probe;
    private final DataLossWatch dataLoss;
    private final SessionStore sessions;
    private final SessionStateStore sessionState;
    private final RedisExecutionStore executions;
    private final ExecutionIndex executionIndex;
    private final RedisReplicaRegistry replicas;
    private final IntentTypeStore intentTypes;
    private final ApiKeyStore apiKeys;
    private final SessionJournal sessionJournal;
    private boolean started;
    private boolean closed;

    /** A state surface whose session writes are durable in Redis only. */
    public StateSurface(StateSurfaceOptions options) {
        this(options, null);
    }

    /**
     * A state surface that journals every session write in {@code journal} before acknowledging it,
     * and whose {@link #sessionJournal()} restores what Redis lacks from that journal at start.
     */
    public StateSurface(StateSurfaceOptions options, Journal journal) {
        this.options = Objects.requireNonNull(options, "options");
        this.health = new HealthCell(HealthSnapshot.starting(NAME, options.clock().now()));
        this.link = new RedisLink(options);
        RedisGateway redis = new RedisGateway(link);
        KeyLayout keys = new KeyLayout(options.keyPrefix());
        this.dataLoss = new DataLossWatch(redis, keys, options.clock());
        this.probe = new HealthProbe(NAME, link, dataLoss, health, options);
        SessionJournalWriter writer = journal == null ? SessionJournalWriter.disabled(options)
                : new SessionJournalWriter(journal, options);
        CloseFeed closeFeed = new CloseFeed(redis, keys, options);
        this.sessions = new SessionStore(redis, keys, options, writer, closeFeed);
        this.sessionState = new SessionStateStore(redis, keys, options, writer);
        this.executionIndex = new ExecutionIndex(redis, keys, options);
        this.executions = new RedisExecutionStore(redis, keys, options, executionIndex);
        this.replicas = new RedisReplicaRegistry(redis, keys);
        this.intentTypes = new IntentTypeStore(redis, keys);
        this.apiKeys = new ApiKeyStore(redis, keys);
        this.sessionJournal = journal == null ? null
                : new SessionJournal(writer, sessions, sessionState, closeFeed, options);
        if (sessionJournal != null) {
            dataLoss.onDataLoss(sessionJournal::rebuild);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Starts connecting in the background and returns at once; see the class comment. */
    @Override
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        link.start();
        probe.start();
    }

    @Override
    public HealthSnapshot health() {
        return health.get();
    }

    public SessionStore sessions() {
        return sessions;
    }

    public SessionStateStore sessionState() {
        return sessionState;
    }

    /**
     * The component that replays the session journal into Redis and keeps it short; present when this
     * surface was built with a journal. Start it after this surface.
     */
    public Optional<SessionJournal> sessionJournal() {
        return Optional.ofNullable(sessionJournal);
    }

    /**
     * Adds a step to the rebuild that runs when Redis lost its data while this surface runs (see
     * {@link DataLossWatch}): the session journal's replay is one, the saga coordinator's recovery of
     * executions can be another. {@code rebuild} runs on a virtual thread and may block; the surface
     * reports not ready ("rebuilding after Redis lost its data") until every step has returned.
     */
    public void onDataLoss(Runnable rebuild) {
        dataLoss.onDataLoss(Objects.requireNonNull(rebuild, "rebuild"));
    }

    public RedisExecutionStore executions() {
        return executions;
    }

    /** The admin index of every execution: filtered pages and counts by state. */
    public ExecutionIndex executionIndex() {
        return executionIndex;
    }

    /** Which process holds each replica id, so that two processes never share one. */
    public RedisReplicaRegistry replicas() {
        return replicas;
    }

    /** The intent definitions registered while the service runs, shared by every replica. */
    public IntentTypeStore intentTypes() {
        return intentTypes;
    }

    /** The tenant API keys every replica shares. */
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    public StateSurfaceOptions options() {
        return options;
    }

    /** Stops the probe and closes the Redis connection; calls fail with {@code UnavailableException} afterwards. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        probe.close();
        link.close();
    }
}
