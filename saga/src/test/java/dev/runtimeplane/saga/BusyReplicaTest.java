package dev.runtimeplane.saga;

import static dev.runtimeplane.saga.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.saga.testing.InMemoryJournal;
import dev.runtimeplane.saga.testing.Surfaces;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.testkit.RedisTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replica whose every core is busy with CPU-bound steps keeps its leases and stays live: a second
 * replica on the same Redis, scanning for expired leases all along, adopts nothing, and no step runs
 * twice. Real Redis, real CPU load (more spinning steps than cores), short leases.
 */
class BusyReplicaTest {

    private static final SagaOwner OWNER = new SagaOwner(TenantId.of("busy-tenant"), SessionId.of("busy-session"));
    private static final int BURNERS = 2 * Runtime.getRuntime().availableProcessors() + 2;
    private static final Duration LEASE_TTL = Duration.ofSeconds(1);
    /** Renewals each execution must see while its step spins: several lease TTLs (renewed every TTL/3). */
    private static final int RENEWALS_PER_EXECUTION = 12;

    private StateSurface surface;
    private final SagaRegistry registry = new SagaRegistry();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final AtomicInteger spinning = new AtomicInteger();
    private volatile boolean release;

    @BeforeEach
    void redis() throws InterruptedException {
        surface = Surfaces.open(RedisTestKit.shared().uri(), "busy-" + ThreadLocalRandom.current().nextInt(1_000_000));
    }

    @AfterEach
    void close() {
        release = true;
        surface.close();
    }

    private SagaCoordinator coordinator(String replica) {
        SagaCoordinator coordinator = new SagaCoordinator(registry, new InMemoryJournal(), surface.executions(),
                SagaCoordinatorOptions.builder(replica).leaseTtl(LEASE_TTL).concurrency(BURNERS)
                        .adoptionInterval(Duration.ofMillis(50)).livenessThreshold(Duration.ofSeconds(2)).build());
        coordinator.start();
        return coordinator;
    }

    /** Pure CPU until released: no allocation, no blocking, no yielding. */
    private String spin(StepContext context) {
        runs.computeIfAbsent(context.execution().value(), id -> new AtomicInteger()).incrementAndGet();
        spinning.incrementAndGet();
        long x = context.attempt();
        while (!release) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return Long.toString(x & 1);
    }

    @Test
    void keepsItsLeasesAndStaysLiveWhileStepsSaturateEveryCore() throws Exception {
        SagaDefinition burn = SagaDefinition.builder("burn", 1).step("spin", this::spin).build();
        SagaCoordinator busy = coordinator("busy");
        SagaCoordinator idle = coordinator("idle");
        try {
            List<ExecutionId> started = new ArrayList<>();
            for (int i = 0; i < BURNERS; i++) {
                started.add(busy.start(burn, OWNER, "{}", null));
            }
            eventually("every step spins", () -> spinning.get() >= BURNERS);
            long target = busyRenewals(busy) + (long) RENEWALS_PER_EXECUTION * BURNERS;
            boolean alwaysLive = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (busyRenewals(busy) < target && System.nanoTime() < deadline) {
                alwaysLive &= busy.health().live();
                Thread.sleep(20);
            }
            assertTrue(busyRenewals(busy) >= target, "the leases were renewed " + busyRenewals(busy) + " times");
            release = true;
            for (ExecutionId id : started) {
                assertEquals(SagaState.COMPLETED, busy.whenFinished(new ExecutionKey(OWNER.tenant(), id))
                        .get(60, TimeUnit.SECONDS).state());
            }
            Map<String, Object> details = busy.health().details();
            assertTrue(alwaysLive, "the busy replica reported itself not live: " + busy.health().reason());
            assertEquals(0L, details.get("lost"), "leases lost by the busy replica");
            assertEquals(0L, details.get("leaseRenewalFailures"), "failed lease renewals");
            assertEquals(0L, idle.health().details().get("adopted"), "executions adopted from the busy replica");
            runs.forEach((execution, count) -> assertEquals(1, count.get(), "runs of the step of " + execution));
            assertEquals(BURNERS, runs.size());
        } finally {
            release = true;
            idle.close();
            busy.close();
        }
    }

    private static long busyRenewals(SagaCoordinator coordinator) {
        Object renewals = coordinator.health().details().get("leaseRenewals");
        return renewals instanceof Long value ? value : 0;
    }
}
