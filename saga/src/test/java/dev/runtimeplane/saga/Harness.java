package dev.runtimeplane.saga;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionStore;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.time.RuntimeClock;
import dev.runtimeplane.saga.testing.InMemoryExecutionStore;
import dev.runtimeplane.saga.testing.InMemoryJournal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** Coordinators on in-memory ports with short timings, closed together at the end of a test. */
final class Harness implements AutoCloseable {

    static final SagaOwner OWNER = new SagaOwner(TenantId.of("tenant-1"), SessionId.of("session-1"));

    final InMemoryJournal journal = new InMemoryJournal();
    final InMemoryExecutionStore store = new InMemoryExecutionStore(RuntimeClock.system());
    final SagaRegistry registry = new SagaRegistry();
    private final List<SagaCoordinator> coordinators = new ArrayList<>();

    static SagaCoordinatorOptions.Builder fastOptions(String replica) {
        return SagaCoordinatorOptions.builder(replica)
                .leaseTtl(Duration.ofSeconds(2))
                .adoptionInterval(Duration.ofMillis(100))
                .floorInterval(Duration.ofMillis(50))
                .storeTimeout(Duration.ofSeconds(2))
                .startTimeout(Duration.ofSeconds(3))
                .subscriptionPollInterval(Duration.ofMillis(50))
                .heartbeatInterval(Duration.ofMillis(50));
    }

    SagaCoordinator start(String replica) {
        return start(replica, journal, store, b -> b);
    }

    SagaCoordinator start(String replica, Journal j, ExecutionStore s, UnaryOperator<SagaCoordinatorOptions.Builder> tweak) {
        SagaCoordinator coordinator = new SagaCoordinator(registry, j, s, tweak.apply(fastOptions(replica)).build());
        coordinator.start();
        coordinators.add(coordinator);
        return coordinator;
    }

    /** A coordinator whose process "dies" later: left out of {@link #close()}, since a dead process closes nothing. */
    SagaCoordinator startDoomed(String replica, Journal j, ExecutionStore s, UnaryOperator<SagaCoordinatorOptions.Builder> tweak) {
        SagaCoordinator coordinator = new SagaCoordinator(registry, j, s, tweak.apply(fastOptions(replica)).build());
        coordinator.start();
        return coordinator;
    }

    static ExecutionKey key(ExecutionId id) {
        return new ExecutionKey(OWNER.tenant(), id);
    }

    static ExecutionView finish(SagaCoordinator coordinator, ExecutionId id) throws Exception {
        return coordinator.whenFinished(key(id)).get(20, TimeUnit.SECONDS);
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        for (SagaCoordinator coordinator : coordinators) {
            coordinator.close();
        }
    }
}
