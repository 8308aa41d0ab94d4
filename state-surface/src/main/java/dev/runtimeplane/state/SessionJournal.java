package dev.runtimeplane.state;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.HealthCell;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.error.UnavailableException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durability of sessions: every session write is journaled before it is acknowledged (see
 * {@link StateSurface#StateSurface(StateSurfaceOptions, dev.runtimeplane.core.port.Journal)}), and this
 * component replays the journal into Redis at start, so a Redis that lost data gets back every
 * acknowledged session and state version this replica journaled. Until the replay is done it is
 * DOWN (not ready) and session writes are refused with {@code UnavailableException}; reads work.
 * Afterwards it checkpoints the journal every {@code journalCheckpointInterval} (see
 * {@link SessionCheckpointer}).
 *
 * <p>Start it after the state surface and the journal. If Redis is unreachable, the replay waits for
 * it and says so in its health.
 */
public final class SessionJournal implements Component {

    public static final String NAME = "sessionJournal";
    private static final Logger LOG = LoggerFactory.getLogger(SessionJournal.class);
    private static final Duration RETRY_DELAY = Duration.ofMillis(500);

    private final SessionJournalWriter writer;
    private final SessionStore sessions;
    private final SessionStateStore states;
    private final StateSurfaceOptions options;
    private final SessionCheckpointer checkpointer;
    private final HealthCell health;
    private volatile SessionReplay.Outcome replayed;
    private volatile String lastCheckpointError = "";
    private volatile boolean closed;
    private Thread worker;

    SessionJournal(SessionJournalWriter writer, SessionStore sessions, SessionStateStore states,
                   StateSurfaceOptions options) {
        this.writer = writer;
        this.sessions = sessions;
        this.states = states;
        this.options = options;
        this.checkpointer = new SessionCheckpointer(writer, sessions, options);
        this.health = new HealthCell(HealthSnapshot.starting(NAME, options.clock().now()));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Starts the replay in the background and returns at once. */
    @Override
    public synchronized void start() {
        if (worker != null || closed) {
            return;
        }
        worker = Thread.ofVirtual().name("session-journal").start(this::run);
    }

    @Override
    public HealthSnapshot health() {
        return health.get();
    }

    /** Stops checkpointing. Writes already journaled stay durable; the journal itself is closed by its owner. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = worker;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            if (!replay()) {
                return;
            }
            writer.open();
            publishUp();
            while (!closed) {
                Thread.sleep(options.journalCheckpointInterval());
                checkpoint();
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** Replays until it succeeds; false when it cannot (damaged records) or the component closed. */
    private boolean replay() throws InterruptedException {
        health.publish(HealthSnapshot.down(NAME, "restoring sessions from the journal", Map.of(), options.clock().now()));
        while (!closed) {
            try {
                replayed = SessionReplay.run(writer.journal(), writer.tracker(), sessions, states, options.clock().now(),
                        options.maxSessionTtl());
                LOG.info("session journal replayed in {} ms: {} live sessions, {} sessions and {} states restored to Redis",
                        replayed.millis(), replayed.sessions(), replayed.restoredSessions(), replayed.restoredStates());
                return true;
            } catch (UnavailableException e) {
                health.publish(HealthSnapshot.down(NAME, "waiting for Redis to restore sessions from the journal: "
                        + e.getMessage(), Map.of(), options.clock().now()));
                Thread.sleep(RETRY_DELAY);
            } catch (RuntimeException e) {
                LOG.error("the session journal cannot be replayed; sessions stay read-only", e);
                health.publish(HealthSnapshot.down(NAME, "the session journal cannot be replayed: " + e.getMessage()
                        + " (see the log; WalTool verify checks the log). Session writes are refused and the WAL is"
                        + " not trimmed until this is fixed", Map.of(), options.clock().now()));
                return false;
            }
        }
        return false;
    }

    private void checkpoint() throws InterruptedException {
        try {
            checkpointer.pass();
            lastCheckpointError = "";
        } catch (RuntimeException e) {
            // Redis away or the journal failing: both have their own health entries; retried next pass.
            lastCheckpointError = e.getMessage();
        }
        publishUp();
    }

    private void publishUp() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("trackedSessions", writer.tracker().size());
        details.put("checkpoint", checkpointer.checkpoint());
        details.put("refreshedLastPass", checkpointer.refreshedLastPass());
        details.put("restoredSessions", replayed.restoredSessions());
        details.put("restoredStates", replayed.restoredStates());
        details.put("replayMillis", replayed.millis());
        if (!lastCheckpointError.isEmpty()) {
            details.put("lastCheckpointError", lastCheckpointError);
        }
        health.publish(HealthSnapshot.up(NAME, details, options.clock().now()));
    }
}
