package dev.runtimeplane.core.component;

/**
 * What a drain did with the work that was in flight when it began.
 *
 * @param finished units of work that completed before the deadline
 * @param parked   units of work handed back (state made durable, leases released) for a later resume
 */
public record DrainReport(int finished, int parked) {

    public static final DrainReport NOTHING_IN_FLIGHT = new DrainReport(0, 0);

    public DrainReport {
        if (finished < 0 || parked < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }
}
