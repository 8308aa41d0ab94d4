package dev.runtimeplane.saga;

import static dev.runtimeplane.saga.Harness.OWNER;
import static dev.runtimeplane.saga.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.port.ReplicaRegistry;
import dev.runtimeplane.saga.testing.InMemoryJournal;
import dev.runtimeplane.saga.testing.ProcessDeath;
import dev.runtimeplane.saga.testing.Surfaces;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.testkit.RedisTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One replica id, one process: on a real Redis, through the state surface's replica registry. */
class ReplicaIdTest {

    private static final Duration TTL = Duration.ofMillis(900);

    private StateSurface surface;
    private final SagaRegistry registry = new SagaRegistry();
    private final List<SagaCoordinator> coordinators = new ArrayList<>();

    @BeforeEach
    void redis() throws InterruptedException {
        surface = Surfaces.open(RedisTestKit.shared().uri(), "ids-" + ThreadLocalRandom.current().nextInt(1_000_000));
    }

    @AfterEach
    void close() {
        coordinators.forEach(SagaCoordinator::close);
        surface.close();
    }

    private SagaCoordinator coordinator(String replica, ReplicaRegistry replicas) {
        SagaCoordinator coordinator = new SagaCoordinator(registry, new InMemoryJournal(), surface.executions(), replicas,
                SagaCoordinatorOptions.builder(replica).leaseTtl(TTL).livenessThreshold(Duration.ofSeconds(5)).build());
        coordinators.add(coordinator);
        return coordinator;
    }

    @Test
    void aSecondProcessWithTheSameReplicaIdRefusesToStart() throws Exception {
        SagaCoordinator first = coordinator("same", surface.replicas());
        first.start();
        SagaCoordinator second = coordinator("same", surface.replicas());
        RuntimePlaneException refused = assertThrows(RuntimePlaneException.class, second::start);
        assertEquals(ErrorCode.CONFLICT, refused.code());
        assertTrue(refused.getMessage().contains("in use by another running process"), refused.getMessage());
        eventually("the first stays live and keeps its id", () -> first.health().live());
        coordinator("other", surface.replicas()).start(); // another id is no conflict
    }

    @Test
    void aRestartAfterAKillClaimsTheIdOnceTheKilledProcessClaimLapses() throws Exception {
        PausableRegistry killedRegistry = new PausableRegistry(surface.replicas());
        ProcessDeath death = new ProcessDeath();
        SagaCoordinator killed = new SagaCoordinator(registry, death.journal(new InMemoryJournal()),
                death.store(surface.executions()), killedRegistry, SagaCoordinatorOptions.builder("restarted")
                .leaseTtl(TTL).build());
        killed.start();
        // kill -9: nothing of the old process reaches Redis any more, and its claim is not released
        death.kill();
        killedRegistry.pause();
        SagaCoordinator restarted = coordinator("restarted", surface.replicas());
        restarted.start(); // waits for the old claim to lapse (at most one TTL)
        SagaDefinition saga = SagaDefinition.builder("quick", 1).step("a", ctx -> "ok").build();
        assertEquals(SagaState.COMPLETED, Harness.finish(restarted, restarted.start(saga, OWNER, "", null)).state());
    }

    @Test
    void aHolderWhoseIdWasTakenStopsDrivingAndTurnsNotLive() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("long", 1).step("a", ctx -> {
            never.await();
            return null;
        }).build();
        PausableRegistry paused = new PausableRegistry(surface.replicas());
        SagaCoordinator sleeper = coordinator("twice", paused);
        sleeper.start();
        sleeper.start(saga, OWNER, "", null);
        paused.pause(); // a long pause: its claim lapses...
        coordinator("twice", surface.replicas()).start(); // ...and a second process with the same id takes it
        paused.resume(); // the sleeper wakes up and finds its id taken
        eventually("the sleeper turns not live", () -> !sleeper.health().live());
        assertTrue(sleeper.health().reason().contains("taken by another process"), sleeper.health().reason());
        eventually("the sleeper stopped driving its execution",
                () -> Integer.valueOf(0).equals(sleeper.health().details().get("executionsInFlight")));
        assertThrows(UnavailableException.class, () -> sleeper.start(saga, OWNER, "", null));
        assertFalse(sleeper.health().ready());
        never.countDown();
    }

    /** A registry whose calls hang while paused, as those of a stopped (or killed) process would. */
    private static final class PausableRegistry implements ReplicaRegistry {
        private final ReplicaRegistry delegate;
        private volatile boolean paused;

        PausableRegistry(ReplicaRegistry delegate) {
            this.delegate = delegate;
        }

        void pause() {
            paused = true;
        }

        void resume() {
            paused = false;
        }

        @Override
        public CompletableFuture<Boolean> claim(String replicaId, String instance, Duration ttl) {
            return paused ? new CompletableFuture<>() : delegate.claim(replicaId, instance, ttl);
        }

        @Override
        public CompletableFuture<Void> release(String replicaId, String instance) {
            return paused ? new CompletableFuture<>() : delegate.release(replicaId, instance);
        }
    }
}
