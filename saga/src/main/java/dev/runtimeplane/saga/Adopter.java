package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.ExecutionKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically looks through the store's non-terminal executions for ones nobody drives (the owner
 * died, or parked them on drain) and adopts them. A live owner keeps renewing its leases, so acquiring
 * one of its executions fails and costs one store call.
 */
final class Adopter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Adopter.class);

    private final SagaRuntime runtime;
    private final Takeover takeover;
    private final BooleanSupplier enabled;
    private final AtomicBoolean scanning = new AtomicBoolean();

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
            List<ExecutionKey> active = Failures.await(runtime.store.listActive(runtime.options.adoptionBatch()),
                    runtime.options.storeTimeout(), "listing active executions");
            for (ExecutionKey key : active) {
                if (!enabled.getAsBoolean() || runtime.live.free() == 0) {
                    return; // a full replica leaves the rest to replicas with room
                }
                if (!runtime.live.containsKey(key) && takeover.adopt(key)) {
                    LOG.info("adopted execution {}", key.execution());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("adoption scan failed: {}", e.toString());
        } finally {
            scanning.set(false);
        }
    }
}
