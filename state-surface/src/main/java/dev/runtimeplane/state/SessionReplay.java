package dev.runtimeplane.state;

import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Re-applies the session journal to Redis where Redis lacks it, in three passes over the journal:
 * <ol>
 *   <li>find each session's needed records (latest expiry, highest state version, close), into the
 *       tracker; then re-apply every close that has not expired yet (delete the session, leave its
 *       tombstone), from the tracker;</li>
 *   <li>restore state documents where Redis holds an older version (also ahead of a missing session);</li>
 *   <li>restore sessions that are missing or hold an older expiry (never a closed or expired one).</li>
 * </ol>
 * A CLOSED record is final, whatever the order: records of the session after it (a touch or carry
 * that raced the close) are not restored, and a tombstone wins over any version another replica's
 * replay restores, before or after. A session restore that meets a tombstone left through another
 * replica journals the close here too. Every restore is a versioned, idempotent script, so a replay
 * can be repeated (after a failure, or when Redis lost its data again), and it never overwrites a
 * newer write made through another replica. Memory holds one small entry per session, never
 * documents, and at most {@value #IN_FLIGHT} calls are in flight.
 */
final class SessionReplay {

    private static final int IN_FLIGHT = 256;

    /** What a replay did. */
    record Outcome(int sessions, long restoredSessions, long restoredStates, long restoredCloses, long millis) {
    }

    private SessionReplay() {
    }

    static Outcome run(SessionJournalWriter writer, SessionStore sessions, SessionStateStore states,
                       Instant now, Duration maxSessionTtl) throws InterruptedException {
        long begin = System.nanoTime();
        Journal journal = writer.journal();
        SessionTracker tracker = writer.tracker();
        fold(journal, tracker, maxSessionTtl);
        LongAdder restoredSessions = new LongAdder();
        LongAdder restoredStates = new LongAdder();
        LongAdder restoredCloses = new LongAdder();

        BoundedCalls calls = new BoundedCalls(IN_FLIGHT);
        for (SessionTracker.Tracked tracked : tracker.tracked()) {
            if (tracked.closed() && tracked.expiresAt().isAfter(now)) {
                calls.submit(() -> sessions.restoreClose(tracked.tenant(), tracked.id(), tracked.expiresAt())
                        .thenAccept(changed -> count(changed, restoredCloses)));
            }
        }
        calls.awaitAll();

        forEach(journal, SessionRecords.STATE, entry -> {
            SessionTracker.Tracked tracked = tracker.get(SessionRecords.decodeStateHeader(entry).session());
            if (tracked != null && !tracked.closed() && tracked.stateSequence() == entry.sequence()) {
                SessionRecords.StateRecord record = SessionRecords.decodeState(entry);
                calls.submit(() -> states.restore(record, tracked.expiresAt()).thenAccept(changed -> count(changed, restoredStates)));
            }
        });
        calls.awaitAll();

        forEach(journal, SessionRecords.SESSION, entry -> {
            SessionRecords.SessionRecord record = SessionRecords.decodeSession(entry);
            SessionTracker.Tracked tracked = tracker.get(record.session().id());
            if (tracked != null && !tracked.closed() && tracked.sessionSequence() == entry.sequence()) {
                calls.submit(() -> sessions.restore(record).thenCompose(restored -> switch (restored) {
                    case CHANGED -> {
                        restoredSessions.increment();
                        yield CompletableFuture.completedFuture(null);
                    }
                    case UNCHANGED -> CompletableFuture.completedFuture(null);
                    // closed through another replica: journal the close here too, so no later replay revives it
                    case CLOSED -> writer.closed(tracked.tenant(), tracked.id(), tracked.expiresAt());
                }));
            }
        });
        calls.awaitAll();

        // Expired sessions, closed or not, need nothing more; the others are settled by the next floor pass.
        for (SessionTracker.Tracked tracked : tracker.tracked()) {
            if (!tracked.expiresAt().isAfter(now)) {
                tracker.forget(tracked);
            }
        }
        return new Outcome(tracker.size(), restoredSessions.sum(), restoredStates.sum(), restoredCloses.sum(),
                (System.nanoTime() - begin) / 1_000_000);
    }

    private static void fold(Journal journal, SessionTracker tracker, Duration maxSessionTtl) {
        try (Stream<JournalEntry> entries = journal.replay(1)) {
            for (Iterator<JournalEntry> it = entries.iterator(); it.hasNext(); ) {
                JournalEntry entry = it.next();
                switch (entry.type()) {
                    case SessionRecords.SESSION -> {
                        Session session = SessionRecords.decodeSession(entry).session();
                        tracker.sessionAt(session.tenant(), session.id(), entry.sequence(), session.expiresAt());
                    }
                    case SessionRecords.STATE -> {
                        SessionRecords.StateHeader state = SessionRecords.decodeStateHeader(entry);
                        tracker.stateAt(state.tenant(), state.session(), entry.sequence(), state.version(),
                                Instant.ofEpochMilli(entry.timestampMillis()).plus(maxSessionTtl));
                    }
                    case SessionRecords.CLOSED -> {
                        SessionRecords.ClosedRecord closed = SessionRecords.decodeClosed(entry);
                        Instant until = closed.until() != null ? closed.until()
                                : Instant.ofEpochMilli(entry.timestampMillis()).plus(maxSessionTtl);
                        tracker.closedAt(closed.tenant(), closed.session(), entry.sequence(), until);
                    }
                    default -> {
                        // another writer's record (the saga coordinator's)
                    }
                }
            }
        }
    }

    private interface EntryAction {
        void accept(JournalEntry entry) throws InterruptedException;
    }

    private static void forEach(Journal journal, int type, EntryAction action) throws InterruptedException {
        try (Stream<JournalEntry> entries = journal.replay(1)) {
            for (Iterator<JournalEntry> it = entries.iterator(); it.hasNext(); ) {
                JournalEntry entry = it.next();
                if (entry.type() == type) {
                    action.accept(entry);
                }
            }
        }
    }

    private static void count(boolean changed, LongAdder counter) {
        if (changed) {
            counter.increment();
        }
    }
}
