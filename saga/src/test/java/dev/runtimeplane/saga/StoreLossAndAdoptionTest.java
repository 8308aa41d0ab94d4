package dev.runtimeplane.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.ExecutionStore;
import dev.runtimeplane.core.port.Lease;
import dev.runtimeplane.saga.testing.ForwardingExecutionStore;
import dev.runtimeplane.saga.testing.ProcessDeath;
import dev.runtimeplane.saga.testing.Surfaces;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adoption and a Redis that loses its data, on the real write-ahead log and a {@code redis-server} of the
 * test's own (so it can be restarted empty and its index written to directly).
 */
class StoreLossAndAdoptionTest {

    private static final SagaOwner OWNER = new SagaOwner(TenantId.of("loss-tenant"), SessionId.of("loss-session"));
    private static final String PREFIX = "loss";

    @TempDir
    Path dir;
    private RedisServer redis;
    private StateSurface surface;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, Integer> runs = new ConcurrentHashMap<>();

    @BeforeEach
    void redis() throws InterruptedException {
        redis = RedisTestKit.startServer();
        surface = Surfaces.open(redis.uri(), PREFIX);
    }

    @AfterEach
    void close() throws Exception {
        release.countDown();
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        surface.close();
        redis.close();
    }

    private WriteAheadLog wal(String name) {
        WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(dir.resolve(name)).fsyncPolicy(FsyncPolicy.ALWAYS).build());
        closing.add(wal);
        return wal;
    }

    private SagaCoordinator coordinator(String replica, SagaRegistry registry, WriteAheadLog wal) {
        SagaCoordinator coordinator = new SagaCoordinator(registry, wal, surface.executions(), options(replica));
        coordinator.start();
        closing.add(coordinator);
        return coordinator;
    }

    private static SagaCoordinatorOptions options(String replica) {
        return SagaCoordinatorOptions.builder(replica).leaseTtl(Duration.ofSeconds(2))
                .adoptionInterval(Duration.ofMillis(100)).floorInterval(Duration.ofMillis(100)).build();
    }

    private static ExecutionKey key(ExecutionId id) {
        return new ExecutionKey(OWNER.tenant(), id);
    }

    /** One step that counts its runs and blocks on its first attempt until the test ends. */
    private SagaDefinition blocking(String name) {
        return SagaDefinition.builder(name, 1).step("a", ctx -> {
            runs.merge(ctx.execution().value(), 1, Integer::sum);
            if (ctx.attempt() == 1) {
                release.await();
            }
            return "ra";
        }).build();
    }

    private static SagaDefinition quick(String name) {
        return SagaDefinition.builder(name, 1).step("a", ctx -> "ra").step("b", ctx -> "rb").build();
    }

    @Test
    void aDeadReplicasExecutionIsAdoptedBehindTenThousandStuckIndexEntries() throws Exception {
        String index = PREFIX + ":active";
        // Entries whose record is gone, with the lowest scores: the head of the index.
        for (int chunk = 0; chunk < 10; chunk++) {
            List<String> zadd = new ArrayList<>(List.of("ZADD", index));
            for (int i = 0; i < 1000; i++) {
                zadd.add(Integer.toString(10 + chunk * 1000 + i));
                zadd.add(OWNER.tenant().value() + ":gone" + (chunk * 1000 + i));
            }
            assertEquals("1000", redis.command(zadd.toArray(String[]::new)));
        }
        SagaCoordinator live = coordinator("live", new SagaRegistry(), wal("live"));
        // A finished execution whose entry is still there (as if removing it had failed).
        ExecutionId finished = live.start(quick("quick"), OWNER, "", null);
        assertEquals(SagaState.COMPLETED, live.whenFinished(key(finished)).get(10, TimeUnit.SECONDS).state());
        redis.command("ZADD", index, "1", OWNER.tenant().value() + ":" + finished.value());
        // An execution a live replica drives (it keeps renewing its lease).
        ExecutionId driven = live.start(blocking("held"), OWNER, "", null);
        // An execution of a definition the adopting replica does not have, parked by its replica.
        SagaRegistry elsewhereOnly = new SagaRegistry();
        SagaCoordinator elsewhere = coordinator("elsewhere", elsewhereOnly, wal("elsewhere"));
        ExecutionId unregistered = elsewhere.start(blocking("elsewhere-only"), OWNER, "", null);
        Harness.eventually("the unregistered saga runs", () -> runs.containsKey(unregistered.value()));
        elsewhere.drain(Instant.now());
        // The dead replica's execution, written after all of them.
        SagaDefinition work = blocking("work");
        ProcessDeath death = new ProcessDeath();
        WriteAheadLog deadWal = wal("dead");
        SagaCoordinator dead = new SagaCoordinator(new SagaRegistry(), death.journal(deadWal), death.store(surface.executions()),
                options("dead"));
        dead.start();
        ExecutionId orphan = dead.start(work, OWNER, "", "orphan-key");
        Harness.eventually("the orphan's step runs", () -> runs.containsKey(orphan.value()));
        death.kill();

        SagaRegistry adopterRegistry = new SagaRegistry().register(work).register(quick("quick"));
        SagaCoordinator adopter = coordinator("adopter", adopterRegistry, wal("adopter"));
        release.countDown();

        assertEquals(SagaState.COMPLETED, adopter.whenFinished(key(orphan)).get(30, TimeUnit.SECONDS).state());
        assertTrue(adopter.history(key(orphan)).stream().anyMatch(e -> e.type() == SagaEventType.RESUMED
                && e.detail().contains("adopted by adopter from dead")));
        assertEquals(SagaState.COMPLETED, live.whenFinished(key(driven)).get(10, TimeUnit.SECONDS).state(),
                "the live replica kept its execution");
        Harness.eventually("the walk removed the entries of records that are gone or finished",
                () -> Long.parseLong(redis.command("ZCARD", index)) <= 1);
        assertEquals(SagaState.RUNNING, adopter.status(key(unregistered)).state(), "left to a replica that has it");
    }

    @Test
    void anAdopterLoadsADefinitionItLacksBeforeResumingTheExecution() throws Exception {
        SagaDefinition work = blocking("registered-elsewhere");
        ProcessDeath death = new ProcessDeath();
        SagaCoordinator dead = new SagaCoordinator(new SagaRegistry(), death.journal(wal("dead")),
                death.store(surface.executions()), options("dead"));
        dead.start();
        ExecutionId orphan = dead.start(work, OWNER, "", null);
        Harness.eventually("the orphan's step runs", () -> runs.containsKey(orphan.value()));
        death.kill();

        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        SagaRegistry lacking = new SagaRegistry().loadMissingWith((name, version) -> {
            asked.add(name + " v" + version);
            return name.equals(work.name()) ? java.util.Optional.of(work) : java.util.Optional.empty();
        });
        SagaCoordinator adopter = coordinator("adopter", lacking, wal("adopter"));
        release.countDown();

        assertEquals(SagaState.COMPLETED, adopter.whenFinished(key(orphan)).get(30, TimeUnit.SECONDS).state());
        assertTrue(asked.contains("registered-elsewhere v1"), asked.toString());
        assertTrue(lacking.find("registered-elsewhere", 1).isPresent(), "registered once loaded");
    }

    @Test
    void anExecutionNoReplicaCanAdoptIsCountedAsAwaitingAdoptionUntilOneCan() throws Exception {
        SagaDefinition work = blocking("registered-later");
        SagaCoordinator elsewhere = coordinator("elsewhere", new SagaRegistry(), wal("elsewhere"));
        ExecutionId parked = elsewhere.start(work, OWNER, "", null);
        Harness.eventually("the step runs", () -> runs.containsKey(parked.value()));
        elsewhere.drain(Instant.now());
        SagaRegistry lacking = new SagaRegistry();
        SagaCoordinator adopter = coordinator("adopter", lacking, wal("adopter"));

        Harness.eventually("a complete walk counts the execution it cannot adopt", () -> awaitingAdoption(adopter) == 1);
        lacking.register(work);
        release.countDown();

        assertEquals(SagaState.COMPLETED, adopter.whenFinished(key(parked)).get(30, TimeUnit.SECONDS).state());
        Harness.eventually("nothing awaits adoption once it is adopted", () -> awaitingAdoption(adopter) == 0);
    }

    private static long awaitingAdoption(SagaCoordinator coordinator) {
        return ((Number) coordinator.health().details().get("awaitingAdoption")).longValue();
    }

    @Test
    void aRedisRestartedEmptyGetsEveryFinishedAndRunningExecutionBackFromTheJournal() throws Exception {
        SagaCoordinator coordinator = coordinator("r1", new SagaRegistry(), wal("r1"));
        SagaDefinition quick = quick("quick");
        SagaDefinition slow = blocking("long");
        List<ExecutionId> finished = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ExecutionId id = coordinator.start(quick, OWNER, "", "done-" + i);
            assertEquals(SagaState.COMPLETED, coordinator.whenFinished(key(id)).get(10, TimeUnit.SECONDS).state());
            finished.add(id);
        }
        ExecutionId running = coordinator.start(slow, OWNER, "", "running-key");
        Harness.eventually("the long step runs", () -> runs.containsKey(running.value()));
        Harness.eventually("the floor passed the finished executions",
                () -> ((Number) coordinator.health().details().get("journalFloor")).longValue() > 15);

        redis.stop();
        redis.start(); // persistence is off: Redis is back, empty
        assertEquals("0", redis.command("DBSIZE"));
        int restored = coordinator.restoreStore();

        assertEquals(6, restored);
        for (int i = 0; i < finished.size(); i++) {
            ExecutionId id = finished.get(i);
            assertEquals(SagaState.COMPLETED, coordinator.status(key(id)).state());
            List<SagaEvent> history = coordinator.history(key(id));
            assertEquals(SagaEventType.STARTED, history.getFirst().type());
            assertEquals(SagaEventType.FINISHED, history.getLast().type());
            assertEquals(id, coordinator.start(quick, OWNER, "", "done-" + i), "the key names it again");
        }
        assertEquals(running, coordinator.start(slow, OWNER, "", "running-key"));
        release.countDown();
        assertEquals(SagaState.COMPLETED, coordinator.whenFinished(key(running)).get(10, TimeUnit.SECONDS).state());
        assertEquals(2, runs.get(running.value()), "the attempt in flight ran again after the restore");
    }

    @Test
    void aRunningExecutionThatRedisLostIsRecoveredFromTheJournalWithoutHelp() throws Exception {
        SagaCoordinator coordinator = coordinator("r1", new SagaRegistry(), wal("r1"));
        ExecutionId running = coordinator.start(blocking("long"), OWNER, "", "running-key");
        Harness.eventually("the long step runs", () -> runs.containsKey(running.value()));

        redis.stop();
        redis.start(); // empty: the record, its index entry and its lease are gone; nobody calls restoreStore
        // The step stays blocked: the lease renewal is refused, the replica lets the execution go, finds it
        // missing from Redis and recovers it from its journal; the resumed attempt does not block.

        Harness.eventually("the execution is back in Redis and finished", () -> {
            try {
                return coordinator.status(key(running)).state() == SagaState.COMPLETED;
            } catch (RuntimeException e) {
                return false; // not found (yet), or Redis still reconnecting
            }
        });
        assertEquals(2, runs.get(running.value()), "the attempt in flight ran again after the recovery");
        assertEquals(SagaEventType.FINISHED, coordinator.history(key(running)).getLast().type());
    }

    @Test
    void aStartSurvivesRedisKilledBetweenItsClaimAndItsFirstWrite() throws Exception {
        RedisServer aof = RedisTestKit.startServer("--appendonly", "yes", "--appendfsync", "always");
        closing.add(aof);
        StateSurface aofSurface = Surfaces.open(aof.uri(), PREFIX);
        closing.add(aofSurface);
        AtomicBoolean killOnFirstWrite = new AtomicBoolean(true);
        ExecutionStore killing = new ForwardingExecutionStore(aofSurface.executions()) {
            @Override
            public CompletableFuture<Boolean> write(ExecutionRecord record, List<byte[]> newEvents, Lease lease) {
                if (killOnFirstWrite.compareAndSet(true, false)) {
                    // The key's claim is in the AOF, the record is not; Redis is back after the lease expired.
                    killAndRestartLater(aof, Duration.ofMillis(2500));
                }
                return super.write(record, newEvents, lease);
            }
        };
        WriteAheadLog wal = wal("r1");
        SagaCoordinator coordinator = new SagaCoordinator(new SagaRegistry(), wal, killing, options("r1"));
        coordinator.start();
        closing.add(coordinator);
        SagaDefinition quick = quick("quick");

        ExecutionId id;
        try {
            id = coordinator.start(quick, OWNER, "", "the-key");
        } catch (UnavailableException e) { // the start could not be confirmed in time: the client retries
            id = coordinator.start(quick, OWNER, "", "the-key");
        }

        assertEquals(SagaState.COMPLETED, coordinator.whenFinished(key(id)).get(30, TimeUnit.SECONDS).state());
        assertEquals(id, coordinator.start(quick, OWNER, "", "the-key"), "the key names the execution that ran");
        assertEquals("1", aof.command("HGET", PREFIX + ":t:" + OWNER.tenant().value() + ":{x:" + id.value() + "}:exec",
                "terminal"));
    }

    private static void killAndRestartLater(RedisServer server, Duration after) {
        try {
            new ProcessBuilder("kill", "-9", Long.toString(server.pid())).start().waitFor();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(after.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            server.start(); // loads the AOF
        });
    }
}
