package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.ExecutionKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the executions that left this replica while the store may lack their journaled state
 * ({@link SagaRuntime#unconfirmed}): one the store holds is another replica's business (or adoption's)
 * and is let go; one the store does not hold at all (it lost its data, or its first write never landed)
 * is recovered from this replica's journal, as after a restart. Until then the journal keeps its records.
 */
final class StoreConfirmer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreConfirmer.class);

    private final SagaRuntime runtime;
    private final Takeover takeover;
    private final BooleanSupplier enabled;
    private final AtomicBoolean running = new AtomicBoolean();

    StoreConfirmer(SagaRuntime runtime, Takeover takeover, BooleanSupplier enabled) {
        this.runtime = runtime;
        this.takeover = takeover;
        this.enabled = enabled;
    }

    @Override
    public void run() {
        if (!enabled.getAsBoolean() || runtime.unconfirmed.isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            Map<ExecutionKey, Long> missing = new HashMap<>();
            for (Map.Entry<ExecutionKey, Long> entry : runtime.unconfirmed.entrySet()) {
                ExecutionKey key = entry.getKey();
                if (runtime.live.containsKey(key) || runtime.takingOver.contains(key)
                        || Failures.await(runtime.store.read(key), runtime.options.storeTimeout(), "reading an execution")
                        .isPresent()) {
                    // Driven here again or being taken over (its own marks keep what it needs), or in the store.
                    runtime.unconfirmed.remove(key, entry.getValue());
                } else {
                    missing.put(key, entry.getValue());
                }
            }
            if (!missing.isEmpty()) {
                recover(missing);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("confirming executions in the store failed: {}", e.toString());
        } finally {
            running.set(false);
        }
    }

    /** One pass over the journal for all of them (their whole retained history, not only the pinned records). */
    private void recover(Map<ExecutionKey, Long> missing) throws InterruptedException {
        Map<ExecutionKey, JournalReplay.Recovered> journaled = JournalReplay.readSome(runtime.journal, missing.keySet());
        for (Map.Entry<ExecutionKey, Long> entry : missing.entrySet()) {
            ExecutionKey key = entry.getKey();
            JournalReplay.Recovered recovered = journaled.get(key);
            if (recovered != null && enabled.getAsBoolean() && runtime.takingOver.add(key)) {
                LOG.warn("execution {} is missing from the state store; recovering it from the journal", key.execution());
                runtime.recovering.put(key, recovered);
                takeover.recover(recovered, enabled);
            }
            runtime.unconfirmed.remove(key, entry.getValue());
        }
    }
}
