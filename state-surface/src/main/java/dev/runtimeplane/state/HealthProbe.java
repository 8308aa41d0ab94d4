package dev.runtimeplane.state;

import dev.runtimeplane.core.component.HealthCell;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.time.RuntimeClock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the state surface's health snapshot current from a background daemon thread, so that
 * reading it never does I/O. Every {@code healthInterval} it either starts a connection attempt
 * (until the first connect) or PINGs Redis, and publishes UP with the round-trip time, or DOWN with
 * the reason: not connected yet, disconnected (Lettuce is reconnecting), PING failed, or PING
 * unanswered for {@code healthTimeout}. DOWN therefore shows within interval + timeout of an outage.
 * After each PING it reads the marker that tells whether Redis lost its data ({@link DataLossWatch}),
 * and reports DOWN ("rebuilding after Redis lost its data") while the rebuild runs.
 * Intervals and timeouts run on real time; the configured clock only stamps the snapshots.
 */
final class HealthProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthProbe.class);

    private final String component;
    private final RedisLink link;
    private final DataLossWatch dataLoss;
    private final HealthCell cell;
    private final RuntimeClock clock;
    private final long intervalMillis;
    private final long timeoutNanos;
    private final ScheduledExecutorService scheduler;
    private final AtomicReference<Ping> inFlight = new AtomicReference<>();
    private volatile String lastError = "";
    private volatile Instant lastErrorAt;
    private volatile boolean closed;

    /** A PING sent at {@code sentNanos} ({@link System#nanoTime()}) that has not been answered yet. */
    private record Ping(long sentNanos) {
    }

    HealthProbe(String component, RedisLink link, DataLossWatch dataLoss, HealthCell cell, StateSurfaceOptions options) {
        this.component = component;
        this.link = link;
        this.dataLoss = dataLoss;
        this.cell = cell;
        this.clock = options.clock();
        this.intervalMillis = options.healthInterval().toMillis();
        this.timeoutNanos = options.healthTimeout().toNanos();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name(component + "-health").factory());
    }

    void start() {
        // Probe as soon as a connection exists rather than at the next tick: readiness follows at once.
        link.onConnected(() -> {
            try {
                scheduler.execute(this::tick);
            } catch (RejectedExecutionException closing) {
                // The surface is closing; there is nothing left to report.
            }
        });
        scheduler.scheduleWithFixedDelay(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        cell.publish(HealthSnapshot.down(component, "closed", details(false, null), clock.now()));
    }

    private void tick() {
        try {
            probe();
        } catch (RuntimeException e) {
            // A probe must not die of a bug in one tick: a dead probe would freeze the last snapshot.
            LOG.warn("health probe failed", e);
            down("health probe failed: " + Failures.describe(e));
        } catch (Error e) {
            // The scheduler stops after this; say so rather than leave a stale UP behind.
            cell.publish(new HealthSnapshot(component, HealthStatus.DOWN, false, "health probe died: " + e,
                    details(false, null), clock.now()));
            throw e;
        }
    }

    private void probe() {
        Ping ping = inFlight.get();
        if (ping != null) {
            if (System.nanoTime() - ping.sentNanos() > timeoutNanos) {
                down("Redis did not answer PING within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            return;
        }
        if (!link.hasConnected()) {
            link.connectInBackground();
            String failure = link.lastConnectFailure();
            down(failure.isEmpty() ? "connecting to Redis" : "cannot connect to Redis: " + failure);
            return;
        }
        if (!link.isOpen()) {
            down("disconnected from Redis; reconnecting");
            return;
        }
        long sent = System.nanoTime();
        CompletableFuture<?> reply;
        try {
            reply = link.ping();
        } catch (RuntimeException e) {
            down("PING failed: " + Failures.describe(e));
            return;
        }
        Ping started = new Ping(sent);
        inFlight.set(started);
        AtomicLong roundTrip = new AtomicLong(-1); // set once PING answered
        reply.thenCompose(pong -> {
                    roundTrip.set(System.nanoTime() - sent);
                    return dataLoss.check();
                })
                .whenComplete((checked, error) -> {
                    inFlight.compareAndSet(started, null);
                    if (error == null) {
                        up(roundTrip.get());
                    } else if (roundTrip.get() < 0) {
                        down("PING failed: " + Failures.describe(error));
                    } else {
                        down("reading the Redis data marker failed: " + Failures.describe(error));
                    }
                });
    }

    private void up(long roundTripNanos) {
        if (closed) {
            return;
        }
        if (dataLoss.rebuilding()) {
            cell.publish(HealthSnapshot.down(component, "rebuilding after Redis lost its data",
                    details(true, roundTripNanos), clock.now()));
            return;
        }
        if (!cell.get().ready()) {
            LOG.info("{} UP: Redis ({}) answered PING", component, link.target().display());
        }
        cell.publish(HealthSnapshot.up(component, details(true, roundTripNanos), clock.now()));
    }

    private void down(String reason) {
        if (closed) {
            return;
        }
        if (cell.get().ready()) {
            LOG.warn("{} DOWN: {}", component, reason);
        }
        lastError = reason;
        lastErrorAt = clock.now();
        cell.publish(HealthSnapshot.down(component, reason, details(false, null), lastErrorAt));
    }

    private Map<String, Object> details(boolean connected, Long roundTripNanos) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("redis", link.target().display());
        details.put("mode", link.target().mode().name().toLowerCase(Locale.ROOT));
        details.put("connected", connected);
        if (roundTripNanos != null) {
            details.put("roundTripMillis", roundTripNanos / 1_000_000.0);
        }
        details.put("lastError", lastError);
        if (lastErrorAt != null) {
            details.put("lastErrorAt", lastErrorAt.toString());
        }
        details.put("dataLosses", dataLoss.losses());
        if (dataLoss.lastLossAt() != null) {
            details.put("lastDataLossAt", dataLoss.lastLossAt().toString());
        }
        return details;
    }
}
