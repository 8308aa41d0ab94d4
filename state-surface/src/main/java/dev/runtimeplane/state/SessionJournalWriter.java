package dev.runtimeplane.state;

import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalRecord;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The stores' way into the journal: appends a session's records and tracks which of them are still
 * needed. The stores complete a write only after its record is durable. Until the journal has been
 * replayed into Redis ({@link #open}), writes are refused: a write racing the replay could be
 * overwritten by an older journaled version.
 *
 * <p>Without a journal (a state surface used as a plain library) every method completes at once.
 */
final class SessionJournalWriter {

    private final Journal journal;
    private final StateSurfaceOptions options;
    private final SessionTracker tracker = new SessionTracker();
    private volatile boolean open;

    SessionJournalWriter(Journal journal, StateSurfaceOptions options) {
        this.journal = journal;
        this.options = options;
        this.open = journal == null;
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

    void open() {
        open = true;
    }

    /** Throws while the journal is still being replayed into Redis. */
    void requireOpen() {
        if (!open) {
            throw new UnavailableException("sessions are being restored from the journal; retry", null);
        }
    }

    /** Journals a session as Redis holds (or will hold) it: after a create, a touch or a carry. */
    CompletableFuture<Void> session(Session session, byte[] tokenHash) {
        return append(List.of(SessionRecords.session(session, tokenHash)),
                last -> tracker.sessionAt(session.tenant(), session.id(), last, session.expiresAt()));
    }

    /** Journals a state document at the version Redis gave it. */
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

    /** Journals that a session was closed; from then on only that record is needed (see {@link SessionTracker.Tracked}). */
    CompletableFuture<Void> closed(TenantId tenant, SessionId id) {
        return append(List.of(SessionRecords.closed(tenant, id)), last -> tracker.closedAt(tenant, id, last));
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
