package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.InvalidArgumentException;

/**
 * Who took an operator's action and why; recorded in the execution's history.
 *
 * @param actor  who ({@code admin}, or {@code admin:<name>}); printable, at most 140 characters
 * @param reason why; required, at most 1000 characters
 */
public record OperatorNote(String actor, String reason) {

    public static final int MAX_REASON_LENGTH = 1000;
    public static final int MAX_ACTOR_LENGTH = 140;

    public OperatorNote {
        if (actor == null || actor.isBlank() || actor.length() > MAX_ACTOR_LENGTH) {
            throw new InvalidArgumentException("actor", "actor must be 1 to " + MAX_ACTOR_LENGTH + " characters");
        }
        if (reason == null || reason.isBlank()) {
            throw new InvalidArgumentException("reason", "reason is required: say why");
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            throw new InvalidArgumentException("reason", "reason is at most " + MAX_REASON_LENGTH + " characters");
        }
    }

    /** How a cancel travels to the replica that drives the execution: "" for a client's, else {@code <actor length>:<actor><reason>}. */
    static String encode(OperatorNote note) {
        return note == null ? "" : note.actor.length() + ":" + note.actor + note.reason;
    }

    /** The note {@link #encode} wrote; null for a client's cancel. */
    static OperatorNote decode(String text) {
        if (text.isEmpty()) {
            return null;
        }
        int colon = text.indexOf(':');
        int end = colon + 1 + Integer.parseInt(text.substring(0, colon));
        return new OperatorNote(text.substring(colon + 1, end), text.substring(end));
    }
}
