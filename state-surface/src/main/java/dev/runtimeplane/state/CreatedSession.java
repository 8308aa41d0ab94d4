package dev.runtimeplane.state;

import java.util.Objects;

/**
 * A new session and its bearer token. The token is shown to the client once; the store keeps only
 * its SHA-256 hash, so it cannot be recovered later.
 */
public record CreatedSession(Session session, String bearerToken) {

    public CreatedSession {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(bearerToken, "bearerToken");
    }

    /** Never prints the token: it is a credential. */
    @Override
    public String toString() {
        return "CreatedSession[session=" + session + ", bearerToken=***]";
    }
}
