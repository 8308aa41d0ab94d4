package dev.runtimeplane.state;

import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalRecord;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The stores' way into the journal: admits session writes, appends a session's records and tracks
 * which of them are still needed. The stores complete a write only after its record is durable.
 * Until the journal has been replayed into Redis ({@link #open}), and again while it is replayed
 * after Redis lost its data ({@link #shut}), writes are refused: a write racing the replay could be
 * overwritten by an older journaled version.
 *
 * <p>Bounds: at most {@code maxSessionWritesInFlight} writes run at once, and a write that would
 * start tracking one more session is refused once {@code maxTrackedSessions} are tracked; both
 * refusals are {@code UnavailableException} (503, retry later), counted in {@link #refusedAtBound}.
 *
 * <p>Without a journal (a state surface used as a plain library) every append completes at once.
 */
final class SessionJournalWriter {

    private static final String REPLAYING = "sessions are being restored from the journal; retry";

    private final Journal journal;
    private final StateSurfaceOptions options;
    private final SessionTracker tracker;
    private final AtomicInteger writesInFlight = new AtomicInteger();
    private final LongAdder refusedAtBound = new LongAdder();
    /** Why writes are refused, or null while they are admitted. */
    private volatile String shutReason;

    SessionJournalWriter(Journal journal, StateSurfaceOptions options) {
        this.journal = journal;
        this.options = options;
        this.tracker = new SessionTracker(options.maxTrackedSessions());
        this.shutReason = journal == null ? null : REPLAYING;
    }

    static SessionJournalWriter disabled(StateSurfaceOptions options) {
        return new SessionJournalWriter(null, options);
    }

    Journal journal() {
        return journal;
    }

    SessionTracker tracker() {
        return tracker;
    }

    boolean enabled() {
        return journal != null;
    }

    void open() {
        shutReason = null;
    }

    /** Refuses new writes with {@code reason} until {@link #open}; see {@link #awaitNoWritesInFlight}. */
    void shut(String reason) {
        shutReason = reason;
    }

    int writesInFlight() {
        return writesInFlight.get();
    }

    long refusedAtBound() {
        return refusedAtBound.sum();
    }

    /**
     * Runs one session write, from admission to acknowledgement. Refused while the journal is shut,
     * at the bound of writes in flight, and, when {@code grows} names a session this journal does
     * not track yet, at the bound of tracked sessions.
     */
    <T> CompletableFuture<T> write(SessionId grows, Supplier<CompletableFuture<T>> body) {
        requireOpen();
        if (grows != null && !tracker.hasRoomFor(grows)) {
            refusedAtBound.increment();
            throw new UnavailableException("this replica's session journal tracks " + tracker.size()
                    + " sessions, its limit (maxTrackedSessions); retry later", null);
        }
        if (writesInFlight.incrementAndGet() > options.maxSessionWritesInFlight()) {
            writesInFlight.decrementAndGet();
            refusedAtBound.increment();
            throw new UnavailableException(options.maxSessionWritesInFlight()
                    + " session writes are in flight, the limit (maxSessionWritesInFlight); retry", null);
        }
        // Checked again after counting: a rebuild shuts first and then waits for the count to reach 0.
        if (shutReason != null) {
            writesInFlight.decrementAndGet();
            requireOpen();
        }
        CompletableFuture<T> result = Futures.guard(body);
        result.whenComplete((value, error) -> writesInFlight.decrementAndGet());
        return result;
    }

    /** Throws while writes are refused (the journal is being replayed into Redis). */
    void requireOpen() {
        String reason = shutReason;
        if (reason != null) {
            throw new UnavailableException(reason, null);
        }
    }

    /** Waits until every admitted write has finished (after {@link #shut}, so that none is admitted meanwhile). */
    void awaitNoWritesInFlight() throws InterruptedException {
        while (writesInFlight.get() > 0) {
            Thread.sleep(5);
        }
    }

    /** Journals a session as Redis holds (or will hold) it: after a create, a touch or a carry. */
    CompletableFuture<Void> session(Session session, byte[] tokenHash) {
        return append(List.of(SessionRecords.session(session, tokenHash)),
                last -> tracker.sessionAt(session.tenant(), session.id(), last, session.expiresAt()));
    }

    /** Journals a state document at the version Redis reserved for it (pending until this record is durable). */
    CompletableFuture<Void> state(TenantId tenant, SessionId id, StateDocument document) {
        return append(List.of(SessionRecords.state(tenant, id, document)),
                last -> tracker.stateAt(tenant, id, last, document.version(), livesAtMost()));
    }

    /** Journals a session with its state in one batch, so the pair supersedes all older records of it. */
    CompletableFuture<Void> snapshot(Session session, byte[] tokenHash, StateDocument document) {
        return append(List.of(SessionRecords.session(session, tokenHash),
                        SessionRecords.state(session.tenant(), session.id(), document)),
                last -> {
                    tracker.sessionAt(session.tenant(), session.id(), last - 1, session.expiresAt());
                    tracker.stateAt(session.tenant(), session.id(), last, document.version(), livesAtMost());
                });
    }

    /**
     * Journals that a session was closed, here or through another replica; from then on only that record
     * is needed (see {@link SessionTracker.Tracked}), until {@code until}, when the session would have expired.
     */
    CompletableFuture<Void> closed(TenantId tenant, SessionId id, Instant until) {
        return append(List.of(SessionRecords.closed(tenant, id, until)),
                last -> tracker.closedAt(tenant, id, last, until));
    }

    private Instant livesAtMost() {
        return options.clock().now().plus(options.maxSessionTtl());
    }

    private interface Appended {
        void at(long lastSequence);
    }

    private CompletableFuture<Void> append(List<JournalRecord> records, Appended appended) {
        if (journal == null) {
            return CompletableFuture.completedFuture(null);
        }
        long ticket = tracker.begin(journal.lastSequence() + 1);
        CompletableFuture<Long> pending;
        try {
            pending = records.size() == 1 ? journal.append(records.getFirst().type(), records.getFirst().payload())
                    : journal.appendBatch(records);
        } catch (RuntimeException e) {
            pending = CompletableFuture.failedFuture(e);
        }
        return pending.handle((last, error) -> {
            try {
                if (error != null) {
                    throw new UnavailableException("the session journal cannot make the write durable: "
                            + error.getMessage(), error);
                }
                appended.at(last);
                return null;
            } finally {
                tracker.end(ticket);
            }
        });
    }
}
