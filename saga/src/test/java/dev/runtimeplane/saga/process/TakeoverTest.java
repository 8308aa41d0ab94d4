package dev.runtimeplane.saga.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.FencedException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.Lease;
import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaEvent;
import dev.runtimeplane.saga.SagaEventType;
import dev.runtimeplane.saga.SagaRegistry;
import dev.runtimeplane.saga.SagaState;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.saga.testing.Surfaces;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinators share one Redis: replica A in a child JVM, replica B in this JVM. A starts sagas and
 * is killed with {@code kill -9}; B adopts and finishes them once A's leases expire, and a write that
 * carries A's stale lease is rejected.
 */
class TakeoverTest {

    private static final int SAGAS = 20;

    @TempDir
    Path dir;

    @Test
    void aSurvivorFinishesADeadReplicasSagasAfterItsLeasesExpire() throws Exception {
        String redis = RedisTestKit.shared().uri();
        String prefix = "takeover-" + ThreadLocalRandom.current().nextInt(1_000_000);
        Path effects = dir.resolve("effects.txt");
        Files.createFile(effects);
        List<ExecutionId> ids = new ArrayList<>();
        Instant killedAt;
        try (ChildJvm replicaA = ChildJvm.start(TakeoverWorker.class, List.of(dir.resolve("wal-a").toString(), redis,
                prefix, effects.toString(), Integer.toString(SAGAS), "replica-a"), dir.resolve("a.log"))) {
            assertTrue(replicaA.awaitLine("STARTED", 60_000), "replica A did not start its sagas:\n" + replicaA.tail());
            for (String line : replicaA.lines()) {
                if (line.startsWith("ACK ")) {
                    ids.add(ExecutionId.of(line.substring(4).trim()));
                }
            }
            Thread.sleep(200);
            replicaA.kill();
            killedAt = Instant.now();
        }
        assertEquals(SAGAS, ids.size());

        try (SideEffects survivorEffects = new SideEffects(effects);
             WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(dir.resolve("wal-b"))
                     .fsyncPolicy(FsyncPolicy.ALWAYS).build());
             StateSurface surface = Surfaces.open(redis, prefix)) {
            Map<ExecutionId, Lease> staleLeases = new HashMap<>();
            SagaCoordinator replicaB = new SagaCoordinator(
                    new SagaRegistry().register(TakeoverWorker.definition(survivorEffects, "replica-b")), wal,
                    surface.executions(), TakeoverWorker.options("replica-b"));
            replicaB.start();
            try {
                for (ExecutionId id : ids) {
                    ExecutionView before = replicaB.status(key(id));
                    if (!before.terminal() && before.owner().equals("replica-a")) {
                        staleLeases.put(id, new Lease(key(id), "replica-a", before.fencingToken(),
                                Instant.now().plusSeconds(60)));
                    }
                }
                List<CompletableFuture<ExecutionView>> finished = new ArrayList<>();
                for (ExecutionId id : ids) {
                    finished.add(replicaB.whenFinished(key(id)));
                }
                for (CompletableFuture<ExecutionView> future : finished) {
                    assertEquals(SagaState.COMPLETED, future.get(60, TimeUnit.SECONDS).state());
                }
                assertTrue(!staleLeases.isEmpty(), "replica A was killed with sagas in flight");
                for (ExecutionId id : ids) {
                    checkHistory(replicaB, id, killedAt, staleLeases.containsKey(id));
                }
                checkRunsOnce(effects, ids);
                for (Map.Entry<ExecutionId, Lease> stale : staleLeases.entrySet()) {
                    ExecutionRecord current = surface.executions().read(key(stale.getKey())).get().orElseThrow();
                    ExecutionRecord staleWrite = new ExecutionRecord(current.tenant(), current.session(),
                            current.execution(), current.version() + 100, "RUNNING", false, current.labels(), current.body());
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> surface.executions().write(staleWrite, List.of(), stale.getValue()).get());
                    assertInstanceOf(FencedException.class, e.getCause());
                }
                System.out.printf("takeover test: replica B adopted %d of %d sagas from the killed replica A%n",
                        staleLeases.size(), SAGAS);
            } finally {
                replicaB.close();
            }
        }
    }

    private static void checkHistory(SagaCoordinator replicaB, ExecutionId id, Instant killedAt, boolean adopted) {
        List<SagaEvent> history = replicaB.history(key(id));
        if (!adopted) {
            return;
        }
        SagaEvent resumed = history.stream().filter(e -> e.type() == SagaEventType.RESUMED).findFirst().orElseThrow();
        assertEquals("adopted by replica-b from replica-a", resumed.detail());
        // Not before A's lease could have expired (its last renewal was at most a renew interval before the kill).
        assertTrue(!resumed.at().isBefore(killedAt.plus(TakeoverWorker.LEASE_TTL).minus(Duration.ofMillis(700))),
                "adopted at " + resumed.at() + ", killed at " + killedAt);
        assertEquals("replica-b", replicaB.status(key(id)).owner());
    }

    /** Each step ran once per attempt; only a step in flight at the kill ran again (as a new attempt on B). */
    private static void checkRunsOnce(Path effects, List<ExecutionId> ids) throws Exception {
        Set<String> ran = new HashSet<>();
        Map<String, Integer> runsPerStep = new HashMap<>();
        for (String line : Files.readAllLines(effects)) {
            String[] parts = line.split(" ");
            assertTrue(ran.add(parts[2] + " " + parts[3] + " " + parts[4]), "attempt ran twice: " + line);
            runsPerStep.merge(parts[2] + " " + parts[3], 1, Integer::sum);
        }
        for (ExecutionId id : ids) {
            long repeated = runsPerStep.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(id.value() + " ") && e.getValue() > 1).count();
            assertTrue(repeated <= 1, "saga " + id + " repeated " + repeated + " steps; only the one in flight may repeat");
        }
    }

    private static ExecutionKey key(ExecutionId id) {
        return new ExecutionKey(TakeoverWorker.OWNER.tenant(), id);
    }
}
