package dev.runtimeplane.saga;

/** How one attempt of an action or a compensation ended. */
sealed interface AttemptOutcome {

    record Succeeded(String result) implements AttemptOutcome {
    }

    record Failed(Throwable error) implements AttemptOutcome {
    }

    /** The attempt ran past the step's timeout; it was signalled and interrupted. */
    record TimedOut(java.time.Duration after) implements AttemptOutcome {
    }

    /** The saga's deadline passed while the attempt ran; it was signalled and interrupted. */
    record DeadlineExceeded() implements AttemptOutcome {
    }

    /** This replica stopped driving the execution (park, lost lease); the outcome is not recorded. */
    record Stopped() implements AttemptOutcome {
    }
}
