package dev.runtimeplane.state;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which journal records the live sessions still need: per session, its newest SESSION and STATE
 * record. Older records of a session are superseded, so the journal may delete everything below
 * the oldest needed record ({@link #floor}). Appends still in flight hold the floor too: their
 * sequence is not known yet, only that it is above the journal's last sequence when they began.
 */
final class SessionTracker {

    /**
     * A session's needed records: the SESSION record with the latest expiry and the STATE record with
     * the highest version (appends of concurrent writes may reach the journal out of order, so
     * neither is simply the newest record).
     *
     * <p>{@code sessionSequence} is 0 while this journal has no SESSION record of it (its state was
     * written here but it was opened on another replica); such a session is carried forward at the
     * next floor pass, and until then {@code expiresAt} is the latest it could live (its state record
     * plus the longest TTL).
     *
     * <p>{@code closedSequence} is the CLOSED record of a closed session. A close is final: a touch or
     * carry that raced it may append a SESSION record after the CLOSED one, and that record must not
     * bring the session back. So the CLOSED record stays needed until the session's latest expiry has
     * passed; after that, any record of it is expired anyway.
     */
    record Tracked(TenantId tenant, SessionId id, long sessionSequence, Instant expiresAt,
                   long stateSequence, long stateVersion, long closedSequence) {

        boolean closed() {
            return closedSequence != 0;
        }

        long needed() {
            if (closed()) {
                return closedSequence;
            }
            if (sessionSequence == 0) {
                return stateSequence;
            }
            return stateSequence == 0 ? sessionSequence : Math.min(sessionSequence, stateSequence);
        }

        private Tracked withSession(long sequence, Instant expiry) {
            if (closed()) {
                return expiry.isAfter(expiresAt) ? copy(sessionSequence, expiry, stateSequence, stateVersion) : this;
            }
            boolean newer = sessionSequence == 0 || expiry.isAfter(expiresAt)
                    || (expiry.equals(expiresAt) && sequence > sessionSequence);
            return newer ? copy(sequence, expiry, stateSequence, stateVersion) : this;
        }

        private Tracked withState(long sequence, long version) {
            boolean newer = stateSequence == 0 || version > stateVersion
                    || (version == stateVersion && sequence > stateSequence);
            return newer && !closed() ? copy(sessionSequence, expiresAt, sequence, version) : this;
        }

        private Tracked closedAt(long sequence, Instant until) {
            return new Tracked(tenant, id, sessionSequence, until.isAfter(expiresAt) ? until : expiresAt,
                    stateSequence, stateVersion, Math.max(closedSequence, sequence));
        }

        private Tracked copy(long session, Instant expiry, long state, long version) {
            return new Tracked(tenant, id, session, expiry, state, version, closedSequence);
        }
    }

    private final Map<SessionId, Tracked> sessions = new ConcurrentHashMap<>();
    private final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong tickets = new AtomicLong();
    private final int maxSessions;

    /**
     * {@code maxSessions} bounds what writes may add ({@link #hasRoomFor}); a replay adds whatever the
     * journal holds, which writes admitted under the same bound.
     */
    SessionTracker(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** True when {@code id} is tracked already or one more session fits under the bound. */
    boolean hasRoomFor(SessionId id) {
        return sessions.size() < maxSessions || sessions.containsKey(id);
    }

    /** Notes an append about to begin; its record's sequence will be at least {@code lowestSequence}. */
    long begin(long lowestSequence) {
        long ticket = tickets.incrementAndGet();
        inFlight.put(ticket, lowestSequence);
        return ticket;
    }

    void end(long ticket) {
        inFlight.remove(ticket);
    }

    void sessionAt(TenantId tenant, SessionId id, long sequence, Instant expiresAt) {
        sessions.compute(id, (key, old) -> (old == null ? untracked(tenant, id, Instant.MIN) : old)
                .withSession(sequence, expiresAt));
    }

    /**
     * A STATE record; {@code livesAtMost} bounds the session's life when nothing else about it is known
     * here (the record's time plus the longest session TTL).
     */
    void stateAt(TenantId tenant, SessionId id, long sequence, long version, Instant livesAtMost) {
        sessions.compute(id, (key, old) -> (old == null ? untracked(tenant, id, livesAtMost) : old)
                .withState(sequence, version));
    }

    /** A CLOSED record: from now on only the CLOSED record is needed, until the session would have expired. */
    void closedAt(TenantId tenant, SessionId id, long sequence, Instant until) {
        sessions.compute(id, (key, old) -> (old == null ? untracked(tenant, id, until) : old).closedAt(sequence, until));
    }

    /** Forgets the session unless a write changed what it needs since {@code seen} was read. */
    void forget(Tracked seen) {
        sessions.remove(seen.id(), seen);
    }

    Tracked get(SessionId id) {
        return sessions.get(id);
    }

    Collection<Tracked> tracked() {
        return sessions.values();
    }

    int size() {
        return sessions.size();
    }

    /** The lowest sequence any live session or in-flight append needs; {@code last + 1} when none does. */
    long floor(long last) {
        long floor = last + 1;
        for (long lowest : inFlight.values()) {
            floor = Math.min(floor, lowest);
        }
        for (Tracked session : sessions.values()) {
            floor = Math.min(floor, session.needed());
        }
        return floor;
    }

    private static Tracked untracked(TenantId tenant, SessionId id, Instant expiresAt) {
        return new Tracked(tenant, id, 0, expiresAt, 0, -1, 0);
    }
}
