package dev.runtimeplane.saga;

/** The state of an execution; see saga/README.md for the transitions. */
public enum SagaState {
    /** Forward steps are running (or waiting to retry). */
    RUNNING(false),
    /** A step failed, timed out, the deadline passed or the saga was cancelled: completed steps are being undone in reverse. */
    COMPENSATING(false),
    /** Every step completed. */
    COMPLETED(true),
    /** Every completed step with a compensation was undone (after a failure, timeout or deadline). */
    COMPENSATED(true),
    /** A compensation gave up after its retries: the saga is only partly undone (see the steps' errors). */
    FAILED(true),
    /** A client cancelled it and every completed step with a compensation was undone. */
    CANCELLED(true),
    /**
     * It was FAILED and an operator marked it handled by hand (with a note, in its history). Last, because
     * snapshots store the state's ordinal.
     */
    RESOLVED(true);

    private final boolean terminal;

    SagaState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean terminal() {
        return terminal;
    }
}
