package dev.runtimeplane.core.component;

import java.time.Instant;

/**
 * A long-lived part of the runtime (the WAL, the state surface, the saga coordinator).
 *
 * <p>The lifecycle is {@code start()} once, then any number of {@code health()} reads, then
 * {@code drain(deadline)} when the process is asked to stop, then {@code close()}. A
 * {@link ComponentGroup} starts components in dependency order and closes them in reverse.
 */
public interface Component extends AutoCloseable {

    /** A stable, short name used as the health entry key (e.g. {@code wal}, {@code stateSurface}). */
    String name();

    /** Opens resources and recovers state. Throws when the component cannot work at all. */
    void start() throws Exception;

    /**
     * The latest cached snapshot. Never does I/O, never waits on a lock that work can hold:
     * health endpoints call it on their event loop.
     */
    HealthSnapshot health();

    /**
     * Stops taking new work and finishes or parks what is in flight, returning by {@code deadline}
     * at the latest. Work not finished by then is parked so that another replica or the next start
     * resumes it. The default has nothing in flight to wait for.
     */
    default DrainReport drain(Instant deadline) {
        return DrainReport.NOTHING_IN_FLIGHT;
    }

    /** Releases resources. Idempotent. */
    @Override
    void close();
}
