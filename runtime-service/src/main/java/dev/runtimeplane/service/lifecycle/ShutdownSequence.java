package dev.runtimeplane.service.lifecycle;

import dev.runtimeplane.service.RuntimeComponents;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The architecture's SIGTERM sequence: readiness DOWN, keep serving for the drain delay, refuse new
 * intents, let in-flight work finish until the drain timeout (then park it), flush and close the WAL,
 * close Redis. Each phase is logged with its duration. {@link #hurry()} skips the remaining waits but
 * never the flush.
 */
@Singleton
public class ShutdownSequence {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

    private final DrainState drainState;
    private final ShutdownConfiguration configuration;
    private final RuntimeComponents components;
    private final CompletableFuture<Void> hurried = new CompletableFuture<>();

    public ShutdownSequence(DrainState drainState, ShutdownConfiguration configuration, RuntimeComponents components) {
        this.drainState = drainState;
        this.configuration = configuration;
        this.components = components;
    }

    public void run() {
        long begin = System.nanoTime();
        phase("readiness DOWN", drainState::beginDraining);
        phase("drain delay (" + configuration.getDrainDelay().toMillis() + " ms, still serving)",
                () -> waitUnlessHurried(configuration.getDrainDelay().toNanos()));
        phase("refuse new intents", drainState::refuseNewWork);
        phase("finish or park in-flight work (up to " + configuration.getDrainTimeout().toMillis() + " ms)",
                this::drainComponents);
        phase("flush and fsync the write-ahead log", components::flushWriteAheadLog);
        phase("close the coordinator and the write-ahead log, then the Redis connections", components::close);
        LOG.info("drain complete in {} ms; exiting 0", millisSince(begin));
    }

    /** Skips the remaining waits (a second SIGTERM or SIGINT). */
    public void hurry() {
        hurried.complete(null);
    }

    private void drainComponents() {
        Instant deadline = Instant.now().plus(configuration.getDrainTimeout());
        CompletableFuture<Void> drain = CompletableFuture.runAsync(
                () -> components.drain(deadline), runnable -> Thread.ofVirtual().name("drain").start(runnable));
        CompletableFuture.anyOf(drain, hurried).join();
        if (!drain.isDone()) {
            LOG.warn("drain cut short; in-flight work is parked when the components close");
        }
    }

    private void waitUnlessHurried(long nanos) {
        try {
            hurried.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The wait ran its full length: the normal case.
        } catch (ExecutionException e) {
            throw new IllegalStateException("hurried never fails", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void phase(String name, Runnable action) {
        long begin = System.nanoTime();
        try {
            action.run();
            LOG.info("shutdown phase '{}' done in {} ms", name, millisSince(begin));
        } catch (RuntimeException e) {
            LOG.error("shutdown phase '{}' failed after {} ms", name, millisSince(begin), e);
        }
    }

    private static long millisSince(long begin) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }
}
