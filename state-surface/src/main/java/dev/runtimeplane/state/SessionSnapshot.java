package dev.runtimeplane.state;

/**
 * A session and its state as Redis holds them, read to be journaled again; or the news that Redis
 * has no such session, or that it was closed.
 */
record SessionSnapshot(Presence presence, Session session, byte[] tokenHash, StateDocument state) {

    enum Presence { PRESENT, MISSING, CLOSED }

    static final SessionSnapshot MISSING = new SessionSnapshot(Presence.MISSING, null, null, null);
    static final SessionSnapshot CLOSED = new SessionSnapshot(Presence.CLOSED, null, null, null);

    static SessionSnapshot present(Session session, byte[] tokenHash, StateDocument state) {
        return new SessionSnapshot(Presence.PRESENT, session, tokenHash, state);
    }
}
