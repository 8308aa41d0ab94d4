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
 * without I/O or locks. Two things are computed on read from memory: a writer found inside one write or
 * fsync for longer than {@link #STUCK_AFTER} is reported not live (a stuck disk), and the pending figures
 * are the queue's current counters, since the writer cannot publish while the disk holds it, which is
 * exactly when the queue fills.
 */
final class WalHealth {

    static final String COMPONENT = "wal";
    static final Duration STUCK_AFTER = Duration.ofSeconds(10);

    private static final String PENDING_BYTES = "pendingBytes";
    private static final String PENDING_APPENDS = "pendingAppends";

    private final HealthCell cell;
    private final RuntimeClock clock;
    private final WalOptions options;
    private volatile AppendQueue queue;

    WalHealth(WalOptions options) {
        this.options = options;
        this.clock = options.clock();
        this.cell = new HealthCell(HealthSnapshot.starting(COMPONENT, clock.now()));
    }

    /** The queue whose pending figures the snapshots show, once the log has one. */
    void attach(AppendQueue appendQueue) {
        this.queue = appendQueue;
    }

    void publishUp(long lastSequence, long lastFsyncNanos, int segments) {
        cell.publish(HealthSnapshot.up(COMPONENT, details(lastSequence, lastFsyncNanos, segments), clock.now()));
    }

    void publishFailed(String reason, long lastSequence, long lastFsyncNanos, int segments) {
        cell.publish(new HealthSnapshot(COMPONENT, HealthStatus.DOWN, false, reason,
                details(lastSequence, lastFsyncNanos, segments), clock.now()));
    }

    void publishClosed() {
        HealthSnapshot last = cell.get();
        if (last.live()) {
            cell.publish(HealthSnapshot.down(COMPONENT, "closed", last.details(), clock.now()));
        }
    }

    /** The cached snapshot, or a not-live one when the writer has been busy since {@code busySinceNanos} for too long. */
    HealthSnapshot current(long busySinceNanos, boolean busy) {
        HealthSnapshot cached = withCurrentPending(cell.get());
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

    private HealthSnapshot withCurrentPending(HealthSnapshot snapshot) {
        AppendQueue current = queue;
        if (current == null || !snapshot.details().containsKey(PENDING_BYTES)) {
            return snapshot;
        }
        Map<String, Object> details = new LinkedHashMap<>(snapshot.details());
        details.put(PENDING_BYTES, current.pendingBytes());
        details.put(PENDING_APPENDS, current.pendingAppends());
        return new HealthSnapshot(COMPONENT, snapshot.status(), snapshot.live(), snapshot.reason(), details,
                snapshot.observedAt());
    }

    private Map<String, Object> details(long lastSequence, long lastFsyncNanos, int segments) {
        AppendQueue current = queue;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastSequence", lastSequence);
        details.put("lastFsyncAgeMillis", Duration.ofNanos(clock.nanoTime() - lastFsyncNanos).toMillis());
        details.put(PENDING_BYTES, current == null ? 0L : current.pendingBytes());
        details.put(PENDING_APPENDS, current == null ? 0 : current.pendingAppends());
        details.put("maxPendingBytes", options.maxPendingBytes());
        details.put("maxPendingAppends", options.maxPendingAppends());
        details.put("segments", segments);
        details.put("fsyncPolicy", options.fsyncPolicy().name());
        return details;
    }
}
