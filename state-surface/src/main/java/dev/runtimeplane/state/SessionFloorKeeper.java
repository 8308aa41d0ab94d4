package dev.runtimeplane.state;

import dev.runtimeplane.core.port.Journal;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps the session journal short. Each pass carries forward the sessions whose needed records are old
 * (older than {@code journalCarryAfterRecords}, or four records per tracked session when that is more: see
 * {@link #CARRY_WINDOW_RECORDS_PER_SESSION}; reads them from Redis and journals them again), settles the ones
 * that may have ended (expired, or closed through another replica: that close is journaled here too), then
 * raises the journal's floor to the oldest record any live session or in-flight write still needs.
 *
 * <p>A session Redis no longer has although it should still be alive keeps its records: Redis lost
 * it, and the next start's replay restores it.
 */
final class SessionFloorKeeper {

    private static final int IN_FLIGHT = 64;
    /**
     * The carry window is at least this many records per tracked session. A carry appends two records per
     * session, so a full round of carries stays inside the window and idle sessions come to rest; under
     * writes, each session is carried at most once per window, which is at most one carried record for each
     * record appended otherwise, however many sessions are live.
     */
    static final long CARRY_WINDOW_RECORDS_PER_SESSION = 4;

    private final SessionJournalWriter writer;
    private final SessionStore sessions;
    private final StateSurfaceOptions options;
    /** The floor this writer last raised the journal's to. */
    private volatile long raised;
    private volatile long refreshedLastPass;

    SessionFloorKeeper(SessionJournalWriter writer, SessionStore sessions, StateSurfaceOptions options) {
        this.writer = writer;
        this.sessions = sessions;
        this.options = options;
    }

    long floor() {
        return raised;
    }

    long refreshedLastPass() {
        return refreshedLastPass;
    }

    void pass() throws InterruptedException {
        Journal journal = writer.journal();
        SessionTracker tracker = writer.tracker();
        // Read first: whatever is appended from here on has a larger sequence than the floor below.
        long last = journal.lastSequence();
        long carryBelow = last - Math.max(options.journalCarryAfterRecords(),
                CARRY_WINDOW_RECORDS_PER_SESSION * tracker.size());
        Instant now = options.clock().now();
        BoundedCalls calls = new BoundedCalls(IN_FLIGHT);
        long refreshed = 0;
        for (SessionTracker.Tracked tracked : tracker.tracked()) {
            if (tracked.closed()) {
                if (!tracked.expiresAt().isAfter(now)) {
                    tracker.forget(tracked); // no record of it can revive it any more
                }
                continue;
            }
            boolean foreign = tracked.sessionSequence() == 0;
            if (foreign || tracked.needed() < carryBelow || !tracked.expiresAt().isAfter(now)) {
                calls.submit(() -> sessions.snapshot(tracked.tenant(), tracked.id())
                        .thenCompose(snapshot -> settle(tracked, snapshot, now)));
                refreshed++;
            }
        }
        calls.awaitAll();
        refreshedLastPass = refreshed;
        long floor = tracker.floor(last);
        if (floor > raised) {
            journal.raiseFloor(floor);
            raised = floor;
        }
    }

    private CompletableFuture<Void> settle(SessionTracker.Tracked tracked, SessionSnapshot snapshot, Instant now) {
        switch (snapshot.presence()) {
            case PRESENT -> {
                return writer.snapshot(snapshot.session(), snapshot.tokenHash(), snapshot.state());
            }
            case CLOSED -> {
                // Closed through another replica: journal the close here too, so that no replay of this
                // journal (its older SESSION records may still be in the log) brings the session back.
                return writer.closed(tracked.tenant(), tracked.id(), tracked.expiresAt());
            }
            case MISSING -> {
                if (!tracked.expiresAt().isAfter(now)) {
                    writer.tracker().forget(tracked);
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }
}
