package dev.runtimeplane.state;

import static dev.runtimeplane.state.RedisGateway.text;

import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.time.RuntimeClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that Redis lost its data while this replica runs (restarted without persistence, failed
 * over to an empty replica, flushed) and has what this replica journaled rebuilt, without a restart.
 *
 * <p>The sign is a marker key, {@code <prefix>:epoch}, holding a random id that the first replica to
 * find it missing writes. The health probe reads it after every successful PING ({@link #check});
 * when it is missing or holds another id than the one this replica saw last, Redis lost its data:
 * every listener registered with {@link #onDataLoss} runs, one after the other, on a virtual thread,
 * and the state surface reports not ready ("rebuilding after Redis lost its data") until all of them
 * have returned. A loss noticed during a rebuild runs them all again afterwards.
 *
 * <p>In a Redis Cluster the marker lives in one slot, so only the loss of that slot's master is seen.
 */
final class DataLossWatch {

    private static final Logger LOG = LoggerFactory.getLogger(DataLossWatch.class);
    private static final LuaScript EPOCH = LuaScript.load("redis_epoch");

    private final RedisGateway redis;
    private final String key;
    private final RuntimeClock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder losses = new LongAdder();
    private volatile String knownEpoch;
    private volatile Instant lastLossAt;
    private boolean rebuilding;
    private boolean lostAgain;

    DataLossWatch(RedisGateway redis, KeyLayout keys, RuntimeClock clock) {
        this.redis = redis;
        this.key = keys.epoch();
        this.clock = clock;
    }

    /** Adds a rebuild step; it may block, and the surface is not ready until it returns. */
    void onDataLoss(Runnable listener) {
        listeners.add(listener);
    }

    /** Reads the marker (writing it when missing) and starts the rebuild when Redis lost its data. */
    CompletableFuture<Void> check() {
        return redis.script("read the Redis data marker", EPOCH, List.of(key), text(Ids.random()))
                .thenAccept(reply -> seen(reply.textAt(1)));
    }

    synchronized boolean rebuilding() {
        return rebuilding;
    }

    long losses() {
        return losses.sum();
    }

    Instant lastLossAt() {
        return lastLossAt;
    }

    private void seen(String epoch) {
        String known = knownEpoch;
        knownEpoch = epoch;
        if (known == null || known.equals(epoch)) {
            return; // first look (a start-up replays its journal anyway), or nothing lost
        }
        losses.increment();
        lastLossAt = clock.now();
        LOG.warn("Redis lost its data (marker {} is now {}); rebuilding what this replica journaled", known, epoch);
        synchronized (this) {
            if (rebuilding) {
                lostAgain = true;
                return;
            }
            rebuilding = true;
        }
        Thread.ofVirtual().name("redis-rebuild").start(this::rebuild);
    }

    private void rebuild() {
        while (true) {
            for (Runnable listener : listeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.error("a rebuild after Redis lost its data failed", e);
                }
            }
            synchronized (this) {
                if (!lostAgain) {
                    rebuilding = false;
                    LOG.info("rebuilt after Redis lost its data");
                    return;
                }
                lostAgain = false;
            }
        }
    }
}
