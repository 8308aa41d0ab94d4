package dev.runtimeplane.state;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.HealthCell;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.error.UnavailableException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durability of sessions: every session write is journaled before it is visible or acknowledged
 * (see {@link StateSurface#StateSurface(StateSurfaceOptions, dev.runtimeplane.core.port.Journal)}), and
 * this component replays the journal into Redis at start, so a Redis that lost data gets back every
 * acknowledged session, state version and close this replica journaled. Until the replay is done it is
 * DOWN (not ready) and session writes are refused with {@code UnavailableException}; reads work.
 * Afterwards it raises its journal floor every {@code journalFloorInterval} (see
 * {@link SessionFloorKeeper}) and journals the closes other replicas publish ({@link CloseFeed}) for
 * the sessions it tracks.
 *
 * <p>When Redis loses its data while it runs ({@link DataLossWatch}), {@link #rebuild} refuses session
 * writes, lets the admitted ones finish, and replays the journal again, the same way as at start.
 *
 * <p>Start it after the state surface and the journal. If Redis is unreachable, the replay waits for
 * it and says so in its health.
 */
public final class SessionJournal implements Component {

    public static final String NAME = "sessionJournal";
    private static final Logger LOG = LoggerFactory.getLogger(SessionJournal.class);
    private static final Duration RETRY_DELAY = Duration.ofMillis(500);
    private static final String REBUILDING = "rebuilding after Redis lost its data";

    private final SessionJournalWriter writer;
    private final SessionStore sessions;
    private final SessionStateStore states;
    private final CloseFeedReader closeFeedReader;
    private final StateSurfaceOptions options;
    private final SessionFloorKeeper floorKeeper;
    private final HealthCell health;
    /** Rebuilds asked for by {@link #rebuild}, each completed when done; one at a time. */
    private final BlockingQueue<CompletableFuture<Void>> rebuilds = new ArrayBlockingQueue<>(1);
    private final LongAdder rebuildCount = new LongAdder();
    private volatile SessionReplay.Outcome replayed;
    private volatile String lastFloorError = "";
    private volatile boolean closed;
    private Thread worker;
    private Thread feedReader;

    SessionJournal(SessionJournalWriter writer, SessionStore sessions, SessionStateStore states, CloseFeed closeFeed,
                   StateSurfaceOptions options) {
        this.writer = writer;
        this.sessions = sessions;
        this.states = states;
        this.closeFeedReader = new CloseFeedReader(closeFeed, writer);
        this.options = options;
        this.floorKeeper = new SessionFloorKeeper(writer, sessions, options);
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

    /**
     * Redis lost its data: refuses session writes at once, then has the journal replayed into Redis
     * again and returns when that is done (or this component closed). Blocks; runs on the state
     * surface's rebuild thread.
     */
    void rebuild() {
        Thread running;
        synchronized (this) {
            running = worker;
        }
        if (running == null || !running.isAlive()) {
            return; // not started (its first replay will do it), closed, or stopped by a damaged journal
        }
        writer.shut(REBUILDING + "; retry");
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            rebuilds.put(done); // the surface runs one rebuild at a time, so there is room
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (closed) {
            done.complete(null); // close() may have drained the queue before the put
        }
        done.join(); // completed by the worker when done, or by close()
    }

    /** Stops raising the floor. Writes already journaled stay durable; the journal itself is closed by its owner. */
    @Override
    public void close() {
        Thread running;
        Thread reading;
        synchronized (this) {
            closed = true;
            running = worker;
            reading = feedReader;
        }
        for (Thread thread : new Thread[] {running, reading}) {
            if (thread != null) {
                thread.interrupt();
                try {
                    thread.join(Duration.ofSeconds(2));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        CompletableFuture<Void> waiting;
        while ((waiting = rebuilds.poll()) != null) {
            waiting.complete(null);
        }
    }

    private void run() {
        try {
            if (!replay("restoring sessions from the journal")) {
                return;
            }
            writer.open();
            startFeedReader();
            publishUp();
            while (!closed) {
                CompletableFuture<Void> rebuild = rebuilds.poll(options.journalFloorInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
                if (rebuild != null) {
                    rebuildNow(rebuild);
                } else {
                    raiseFloor();
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private void rebuildNow(CompletableFuture<Void> done) throws InterruptedException {
        try {
            health.publish(HealthSnapshot.down(NAME, REBUILDING, Map.of(), options.clock().now()));
            writer.shut(REBUILDING + "; retry");
            // A write admitted before the loss may still commit; its record must be in the journal we read.
            writer.awaitNoWritesInFlight();
            if (!replay(REBUILDING)) {
                return;
            }
            rebuildCount.increment();
            closeFeedReader.rewind();
            writer.open();
            publishUp();
        } finally {
            done.complete(null);
        }
    }

    /** Replays until it succeeds; false when it cannot (damaged records) or the component closed. */
    private boolean replay(String doing) throws InterruptedException {
        health.publish(HealthSnapshot.down(NAME, doing, Map.of(), options.clock().now()));
        while (!closed) {
            try {
                replayed = SessionReplay.run(writer, sessions, states, options.clock().now(), options.maxSessionTtl());
                LOG.info("session journal replayed in {} ms: {} sessions tracked; {} sessions, {} states and {} closes"
                                + " restored to Redis", replayed.millis(), replayed.sessions(), replayed.restoredSessions(),
                        replayed.restoredStates(), replayed.restoredCloses());
                return true;
            } catch (UnavailableException e) {
                health.publish(HealthSnapshot.down(NAME, doing + ", waiting for Redis: " + e.getMessage(), Map.of(),
                        options.clock().now()));
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

    private void raiseFloor() throws InterruptedException {
        try {
            floorKeeper.pass();
            lastFloorError = "";
        } catch (RuntimeException e) {
            // Redis away or the journal failing: both have their own health entries; retried next pass.
            lastFloorError = e.getMessage();
        }
        publishUp();
    }

    private synchronized void startFeedReader() {
        if (!closed) {
            feedReader = Thread.ofVirtual().name("session-close-feed").start(closeFeedReader::run);
        }
    }

    private void publishUp() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("trackedSessions", writer.tracker().size());
        details.put("maxTrackedSessions", options.maxTrackedSessions());
        details.put("writesInFlight", writer.writesInFlight());
        details.put("maxWritesInFlight", options.maxSessionWritesInFlight());
        details.put("refusedAtBound", writer.refusedAtBound());
        details.put("floor", floorKeeper.floor());
        details.put("refreshedLastPass", floorKeeper.refreshedLastPass());
        details.put("restoredSessions", replayed.restoredSessions());
        details.put("restoredStates", replayed.restoredStates());
        details.put("restoredCloses", replayed.restoredCloses());
        details.put("replayMillis", replayed.millis());
        details.put("rebuilds", rebuildCount.sum());
        details.put("closesFromOtherReplicas", closeFeedReader.journaled());
        if (!lastFloorError.isEmpty()) {
            details.put("lastFloorError", lastFloorError);
        }
        health.publish(HealthSnapshot.up(NAME, details, options.clock().now()));
    }
}
