package dev.runtimeplane.saga;

/** Unwinds a driver that must stop recording transitions (see {@link LiveExecution.StopReason}). */
final class DriverStopped extends RuntimeException {

    DriverStopped(LiveExecution.StopReason reason) {
        super(reason.name(), null, false, false);
    }
}
