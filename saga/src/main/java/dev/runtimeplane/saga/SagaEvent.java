package dev.runtimeplane.saga;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an execution's history.
 *
 * @param index   position in the history, from 0, without gaps
 * @param type    what happened
 * @param at      when it was recorded
 * @param state   the execution's state after it
 * @param step    the step it concerns, or null
 * @param attempt the attempt number for step events, else 0
 * @param detail  error text, cause or note, or null
 * @param retryAt when the next attempt starts, for a failed attempt that will be retried; else null
 * @param actor   who took an operator's action ({@link SagaEventType#ADMIN_ACTION}); else null
 */
public record SagaEvent(long index, SagaEventType type, Instant at, SagaState state, String step, int attempt,
                        String detail, Instant retryAt, String actor) {

    public SagaEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
    }
}
