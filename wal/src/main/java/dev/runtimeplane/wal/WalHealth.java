package dev.runtimeplane.wal;

import dev.runtimeplane.core.component.HealthCell;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.time.RuntimeClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The log's cached health. The writer publishes figures into it; readers get the cached snapshot
 * without I/O or locks, except that a writer found inside one write or fsync for longer than
 * {@link #STUCK_AFTER} is reported not live (a stuck disk), computed from a timestamp in memory.
 */
final class WalHealth {

    static final String COMPONENT = "wal";
    static final Duration STUCK_AFTER = Duration.ofSeconds(10);

    private final HealthCell cell;
    private final RuntimeClock clock;
    private final FsyncPolicy policy;

    WalHealth(RuntimeClock clock, FsyncPolicy policy) {
        this.clock = clock;
        this.policy = policy;
        this.cell = new HealthCell(HealthSnapshot.starting(COMPONENT, clock.now()));
    }

    void publishUp(long lastSequence, long lastFsyncNanos, long pendingBytes, int segments) {
        cell.publish(HealthSnapshot.up(COMPONENT, details(lastSequence, lastFsyncNanos, pendingBytes, segments),
                clock.now()));
    }

    void publishFailed(String reason, long lastSequence, long lastFsyncNanos, long pendingBytes, int segments) {
        cell.publish(new HealthSnapshot(COMPONENT, HealthStatus.DOWN, false, reason,
                details(lastSequence, lastFsyncNanos, pendingBytes, segments), clock.now()));
    }

    void publishClosed() {
        HealthSnapshot last = cell.get();
        if (last.live()) {
            cell.publish(HealthSnapshot.down(COMPONENT, "closed", last.details(), clock.now()));
        }
    }

    /** The cached snapshot, or a not-live one when the writer has been busy since {@code busySinceNanos} for too long. */
    HealthSnapshot current(long busySinceNanos, boolean busy) {
        HealthSnapshot cached = cell.get();
        if (!busy || !cached.live()) {
            return cached;
        }
        long busyNanos = clock.nanoTime() - busySinceNanos;
        if (busyNanos < STUCK_AFTER.toNanos()) {
            return cached;
        }
        return new HealthSnapshot(COMPONENT, HealthStatus.DOWN, false, "the writer has been inside one write or fsync for "
                + Duration.ofNanos(busyNanos).toSeconds() + " s", cached.details(), clock.now());
    }

    private Map<String, Object> details(long lastSequence, long lastFsyncNanos, long pendingBytes, int segments) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastSequence", lastSequence);
        details.put("lastFsyncAgeMillis", Duration.ofNanos(clock.nanoTime() - lastFsyncNanos).toMillis());
        details.put("pendingBytes", pendingBytes);
        details.put("segments", segments);
        details.put("fsyncPolicy", policy.name());
        return details;
    }
}
