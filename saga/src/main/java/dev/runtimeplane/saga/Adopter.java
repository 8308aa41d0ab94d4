package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.ActivePage;
import dev.runtimeplane.core.port.ExecutionKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks the store's index of non-terminal executions, a few pages per round and resuming where the last
 * round stopped, and adopts the executions whose lease is free (the owner died, or parked them on drain).
 * Whatever the index holds (entries of executions live replicas drive, of definitions not registered here,
 * of records that are gone), the walk moves past it, so every adoptable execution is reached.
 *
 * <p>What a complete walk found with a free lease and did not adopt (this replica was full, lacked the
 * definition's version, or lost the race for the lease) is published as {@code awaitingAdoption}: a count
 * that stays above zero on every replica means executions nobody drives (adoption lags).
 */
final class Adopter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Adopter.class);
    /** Bounds one round's work to this many pages of {@code adoptionBatch} entries. */
    static final int PAGES_PER_ROUND = 16;

    private final SagaRuntime runtime;
    private final Takeover takeover;
    private final BooleanSupplier enabled;
    private final AtomicBoolean scanning = new AtomicBoolean();
    /** Where the walk goes on; only the round holding {@link #scanning} touches it. */
    private String cursor = ActivePage.START;
    /** Free-leased executions this walk passed without adopting them; published when the walk completes. */
    private long passed;

    Adopter(SagaRuntime runtime, Takeover takeover, BooleanSupplier enabled) {
        this.runtime = runtime;
        this.takeover = takeover;
        this.enabled = enabled;
    }

    @Override
    public void run() {
        if (!enabled.getAsBoolean() || !scanning.compareAndSet(false, true)) {
            return;
        }
        try {
            for (int page = 0; page < PAGES_PER_ROUND; page++) {
                ActivePage step = Failures.await(runtime.store.scanActive(cursor, runtime.options.adoptionBatch()),
                        runtime.options.storeTimeout(), "walking the active executions");
                cursor = step.cursor();
                List<ExecutionKey> unleased = step.unleased();
                for (int i = 0; i < unleased.size(); i++) {
                    ExecutionKey key = unleased.get(i);
                    if (!enabled.getAsBoolean() || runtime.live.free() == 0) {
                        passed += unleased.size() - i;
                        return; // a full replica leaves the rest to replicas with room
                    }
                    if (runtime.live.containsKey(key)) {
                        continue;
                    }
                    if (takeover.adopt(key)) {
                        LOG.info("adopted execution {}", key.execution());
                    } else {
                        passed++;
                    }
                }
                if (step.complete()) {
                    runtime.awaitingAdoption = passed;
                    passed = 0;
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("adoption round failed: {}", e.toString());
        } finally {
            scanning.set(false);
        }
    }
}
