package dev.runtimeplane.saga;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One state transition: the next snapshot and the history events it adds. */
record Transition(ExecutionSnapshot next, List<SagaEvent> events) {

    Transition {
        events = List.copyOf(events);
    }

    /** Collects the events of a transition as the state machine changes a {@link ExecutionSnapshot.Next}. */
    static final class Recorder {
        private final ExecutionSnapshot.Next next;
        private final long firstIndex;
        private final List<SagaEvent> events = new ArrayList<>();

        Recorder(ExecutionSnapshot from, long nowMillis) {
            this.next = from.next(nowMillis);
            this.firstIndex = from.eventCount();
        }

        ExecutionSnapshot.Next next() {
            return next;
        }

        Recorder event(SagaEventType type, String step, int attempt, String detail, long retryAtMillis) {
            events.add(new SagaEvent(firstIndex + events.size(), type, Instant.ofEpochMilli(next.nowMillis()),
                    next.state(), step, attempt, detail, retryAtMillis > 0 ? Instant.ofEpochMilli(retryAtMillis) : null,
                    null));
            return this;
        }

        /** An operator's action: who, what and why. */
        Recorder adminAction(OperatorNote note, String action) {
            events.add(new SagaEvent(firstIndex + events.size(), SagaEventType.ADMIN_ACTION,
                    Instant.ofEpochMilli(next.nowMillis()), next.state(), null, 0, action + ": " + note.reason(), null,
                    note.actor()));
            return this;
        }

        Recorder event(SagaEventType type, String detail) {
            return event(type, null, 0, detail, 0);
        }

        Transition build() {
            return new Transition(next.build(events.size()), events);
        }
    }
}
