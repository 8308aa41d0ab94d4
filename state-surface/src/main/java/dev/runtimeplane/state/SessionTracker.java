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
     * neither is simply the newest record). {@code sessionSequence} is 0 while this journal has no
     * SESSION record of it (its state was written here but it was opened on another replica); such a
     * session is carried forward at the next checkpoint.
     */
    record Tracked(TenantId tenant, SessionId id, long sessionSequence, Instant expiresAt,
                   long stateSequence, long stateVersion) {

        long needed() {
            if (sessionSequence == 0) {
                return stateSequence;
            }
            return stateSequence == 0 ? sessionSequence : Math.min(sessionSequence, stateSequence);
        }

        private Tracked withSession(long sequence, Instant expiry) {
            return expiry.isAfter(expiresAt) || (expiry.equals(expiresAt) && sequence > sessionSequence)
                    ? new Tracked(tenant, id, sequence, expiry, stateSequence, stateVersion) : this;
        }

        private Tracked withState(long sequence, long version) {
            return stateSequence == 0 || version > stateVersion || (version == stateVersion && sequence > stateSequence)
                    ? new Tracked(tenant, id, sessionSequence, expiresAt, sequence, version) : this;
        }
    }

    private final Map<SessionId, Tracked> sessions = new ConcurrentHashMap<>();
    private final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong tickets = new AtomicLong();

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
        sessions.compute(id, (key, old) -> (old == null ? untracked(tenant, id) : old).withSession(sequence, expiresAt));
    }

    void stateAt(TenantId tenant, SessionId id, long sequence, long version) {
        sessions.compute(id, (key, old) -> (old == null ? untracked(tenant, id) : old).withState(sequence, version));
    }

    /** The session was closed: none of its records is needed any more. */
    void forget(SessionId id) {
        sessions.remove(id);
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

    private static Tracked untracked(TenantId tenant, SessionId id) {
        return new Tracked(tenant, id, 0, Instant.MIN, 0, -1);
    }
}
