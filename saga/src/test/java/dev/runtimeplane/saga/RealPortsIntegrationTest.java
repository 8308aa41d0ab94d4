package dev.runtimeplane.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ActivePage;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.saga.testing.ProcessDeath;
import dev.runtimeplane.saga.testing.Surfaces;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator on the real write-ahead log (fsync ALWAYS) and a real Redis through the state surface. */
class RealPortsIntegrationTest {

    private static final SagaOwner OWNER = new SagaOwner(TenantId.of("it-tenant"), SessionId.of("it-session"));

    @TempDir
    Path dir;
    private StateSurface surface;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final SagaRegistry registry = new SagaRegistry();

    @BeforeEach
    void redis() throws InterruptedException {
        surface = Surfaces.open(RedisTestKit.shared().uri(), "saga-it-" + ThreadLocalRandom.current().nextInt(1_000_000));
    }

    @AfterEach
    void close() {
        surface.close();
    }

    private WriteAheadLog wal(String name) {
        return WriteAheadLog.open(WalOptions.builder(dir.resolve(name)).fsyncPolicy(FsyncPolicy.ALWAYS).build());
    }

    private SagaCoordinatorOptions options(String replica) {
        return SagaCoordinatorOptions.builder(replica).leaseTtl(Duration.ofSeconds(2))
                .adoptionInterval(Duration.ofMillis(200)).floorInterval(Duration.ofMillis(100)).build();
    }

    private static ExecutionKey key(ExecutionId id) {
        return new ExecutionKey(OWNER.tenant(), id);
    }

    @Test
    void runsAndCompensatesWithTheHistoryInRedis() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("it", 1)
                .step("a", ctx -> "ra", ctx -> calls.add("undo a"))
                .step("b", ctx -> {
                    if (ctx.input().equals("fail")) {
                        throw new IllegalStateException("scripted");
                    }
                    return "rb";
                }).retry(RetryPolicy.noRetry())
                .build();
        try (WriteAheadLog wal = wal("wal")) {
            SagaCoordinator coordinator = new SagaCoordinator(registry, wal, surface.executions(), options("r1"));
            coordinator.start();
            try {
                ExecutionId ok = coordinator.start(saga, OWNER, "ok", "key-ok");
                ExecutionId bad = coordinator.start(saga, OWNER, "fail", "key-bad");
                assertEquals(SagaState.COMPLETED, coordinator.whenFinished(key(ok)).get(10, TimeUnit.SECONDS).state());
                assertEquals(SagaState.COMPENSATED, coordinator.whenFinished(key(bad)).get(10, TimeUnit.SECONDS).state());
                assertEquals(List.of("undo a"), calls);
                assertEquals(ok, coordinator.start(saga, OWNER, "ok", "key-ok"));
                List<SagaEvent> history = coordinator.history(key(bad));
                assertEquals(SagaEventType.FINISHED, history.getLast().type());
                assertEquals(SagaState.COMPENSATED, history.getLast().state());
                assertTrue(surface.executions().scanActive(ActivePage.START, 10).get().unleased().isEmpty(),
                        "no execution is left to adopt");
            } finally {
                coordinator.close();
            }
        }
    }

    @Test
    void aRestartOnTheSameWalResumesTheSagaInFlight() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("it-restart", 1)
                .step("a", ctx -> "ra")
                .step("b", ctx -> {
                    calls.add("b#" + ctx.attempt());
                    if (ctx.attempt() == 1) {
                        running.countDown();
                        never.await();
                    }
                    return "rb";
                })
                .build();
        ProcessDeath death = new ProcessDeath();
        ExecutionId id;
        try (WriteAheadLog wal = wal("wal")) {
            SagaCoordinator doomed = new SagaCoordinator(registry, death.journal(wal),
                    death.store(surface.executions()), options("r1"));
            doomed.start();
            id = doomed.start(saga, OWNER, "", "restart-key");
            assertTrue(running.await(10, TimeUnit.SECONDS));
            death.kill();
        }
        try (WriteAheadLog wal = wal("wal")) {
            SagaCoordinator restarted = new SagaCoordinator(registry, wal, surface.executions(), options("r1"));
            restarted.start();
            try {
                ExecutionView view = restarted.whenFinished(key(id)).get(10, TimeUnit.SECONDS);
                assertEquals(SagaState.COMPLETED, view.state());
                assertEquals(List.of("b#1", "b#2"), calls);
                assertTrue(restarted.history(key(id)).stream().anyMatch(e -> e.type() == SagaEventType.RESUMED
                        && e.detail().contains("after a restart")));
            } finally {
                restarted.close();
            }
        }
    }

    @Test
    void twoReplicasOnOneRedisAgreeOnAnIdempotencyKey() throws Exception {
        SagaDefinition saga = SagaDefinition.builder("it-idem", 1).step("a", ctx -> {
            calls.add("a");
            return "ra";
        }).build();
        try (WriteAheadLog walA = wal("wal-a"); WriteAheadLog walB = wal("wal-b")) {
            SagaCoordinator a = new SagaCoordinator(registry, walA, surface.executions(), options("replica-a"));
            SagaCoordinator b = new SagaCoordinator(registry, walB, surface.executions(), options("replica-b"));
            a.start();
            b.start();
            try {
                ExecutionId fromA = a.start(saga, OWNER, "", "shared-key");
                ExecutionId fromB = b.start(saga, OWNER, "", "shared-key");
                assertEquals(fromA, fromB);
                assertEquals(SagaState.COMPLETED, b.whenFinished(key(fromA)).get(10, TimeUnit.SECONDS).state());
                assertEquals(List.of("a"), calls);
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
