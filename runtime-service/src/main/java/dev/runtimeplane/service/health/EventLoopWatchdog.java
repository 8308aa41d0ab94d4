package dev.runtimeplane.service.health;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.HealthCell;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Liveness of the API's event loops: every {@code interval} it hands each loop a no-op task and
 * notes when the loop ran it. A loop that has not run its task for {@code stuckAfter} is stuck (a
 * handler blocked it): the component turns DOWN and not live, so {@code /health/live} answers 503 and
 * the orchestrator restarts the replica. A loop that is merely slow (over {@code interval}) makes it
 * DEGRADED. The probes run from the watchdog's own thread; health reads the cached snapshot.
 */
public final class EventLoopWatchdog implements Component {

    public static final String NAME = "apiEventLoops";

    private final EventExecutorGroup loops;
    private final Duration interval;
    private final Duration stuckAfter;
    private final HealthCell health = new HealthCell(HealthSnapshot.starting(NAME, Instant.now()));
    private final List<Probe> probes = new ArrayList<>();
    private ScheduledExecutorService ticker;

    /** One loop's outstanding probe: when it was handed over, and whether the loop has run it. */
    private static final class Probe {
        final EventExecutor loop;
        final AtomicLong pendingSince = new AtomicLong(); // 0 when the last probe ran

        Probe(EventExecutor loop) {
            this.loop = loop;
        }
    }

    public EventLoopWatchdog(EventExecutorGroup loops, Duration interval, Duration stuckAfter) {
        this.loops = loops;
        this.interval = interval;
        this.stuckAfter = stuckAfter;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start() {
        if (ticker != null) {
            return;
        }
        loops.forEach(loop -> probes.add(new Probe(loop)));
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-loop-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public HealthSnapshot health() {
        return health.get();
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    private void tick() {
        try {
            probe();
        } catch (RuntimeException e) { // a scheduled task that throws is never run again: report, do not die
            health.publish(new HealthSnapshot(NAME, HealthStatus.DOWN, false,
                    "the event-loop watchdog failed: " + e, Map.of(), Instant.now()));
        }
    }

    private void probe() {
        long now = System.nanoTime();
        long slowest = 0;
        for (Probe probe : probes) {
            long since = probe.pendingSince.get();
            if (since != 0) {
                slowest = Math.max(slowest, now - since); // the previous probe has not run yet
            } else if (!probe.loop.isShuttingDown()) {
                probe.pendingSince.set(now);
                try {
                    probe.loop.execute(() -> probe.pendingSince.set(0));
                } catch (RejectedExecutionException e) {
                    probe.pendingSince.set(0); // the loop began shutting down after the check: not stuck
                }
            }
        }
        publish(Duration.ofNanos(slowest));
    }

    private void publish(Duration slowest) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("loops", probes.size());
        details.put("slowestPendingMillis", slowest.toMillis());
        Instant at = Instant.now();
        if (slowest.compareTo(stuckAfter) >= 0) {
            health.publish(new HealthSnapshot(NAME, HealthStatus.DOWN, false,
                    "an API event loop has not run a task for " + slowest.toMillis() + " ms (stuck)", details, at));
        } else if (slowest.compareTo(interval) >= 0) {
            health.publish(new HealthSnapshot(NAME, HealthStatus.DEGRADED, true,
                    "an API event loop is " + slowest.toMillis() + " ms behind", details, at));
        } else {
            health.publish(HealthSnapshot.up(NAME, details, at));
        }
    }
}
