package dev.runtimeplane.core.id;

/** The id of a session. Validated on construction; see {@link Ids} for the allowed form. */
public record SessionId(String value) {

    public SessionId {
        Ids.requireValid("sessionId", value);
    }

    public static SessionId of(String value) {
        return new SessionId(value);
    }

    /** A new, unguessable id (128 bits from a CSPRNG). */
    public static SessionId generate() {
        return new SessionId(Ids.random());
    }

    @Override
    public String toString() {
        return value;
    }
}
