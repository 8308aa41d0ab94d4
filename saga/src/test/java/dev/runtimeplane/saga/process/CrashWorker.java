package dev.runtimeplane.saga.process;

import dev.runtimeplane.core.error.OverloadedException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaCoordinatorOptions;
import dev.runtimeplane.saga.SagaOwner;
import dev.runtimeplane.saga.SagaRegistry;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.saga.testing.Surfaces;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The child process of the crash test: opens the real WAL and Redis, lets the coordinator recover, then
 * (re-)submits sagas 0..count-1 with idempotency keys {@code saga-i}, writes {@code ACK i execution} for
 * every acknowledged start (printing {@code WORKING} after the first) and exits 0 once all of them are
 * terminal. The test kills it at random.
 *
 * <p>Arguments: walDir redisUri keyPrefix effectsFile acksFile count incarnation
 */
public final class CrashWorker {

    static final SagaOwner OWNER = new SagaOwner(TenantId.of("crash-tenant"), SessionId.of("crash-session"));

    private CrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path walDir = Path.of(args[0]);
        String redisUri = args[1];
        String prefix = args[2];
        int count = Integer.parseInt(args[5]);
        int incarnation = Integer.parseInt(args[6]);
        try (SideEffects effects = new SideEffects(Path.of(args[3]));
             SideEffects acks = new SideEffects(Path.of(args[4]));
             WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(walDir).fsyncPolicy(FsyncPolicy.ALWAYS).build());
             StateSurface surface = Surfaces.open(redisUri, prefix)) {
            SagaRegistry registry = new SagaRegistry().register(CrashScript.definition(effects, incarnation));
            SagaCoordinator coordinator = new SagaCoordinator(registry, wal, surface.executions(),
                    SagaCoordinatorOptions.builder("crash-replica")
                            .concurrency(64)
                            .leaseTtl(Duration.ofSeconds(5))
                            .floorInterval(Duration.ofMillis(200))
                            .adoptionInterval(Duration.ofMillis(500))
                            .build());
            coordinator.start();
            System.out.println("READY " + incarnation);
            List<CompletableFuture<?>> finished = new ArrayList<>();
            AtomicBoolean firstAck = new AtomicBoolean();
            try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
                List<CompletableFuture<ExecutionId>> ids = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    int index = i;
                    ids.add(CompletableFuture.supplyAsync(() -> {
                        ExecutionId id = startRetrying(coordinator, index);
                        acks.line("ACK " + index + " " + id);
                        if (firstAck.compareAndSet(false, true)) {
                            System.out.println("WORKING " + incarnation);
                        }
                        return id;
                    }, submitters));
                }
                for (CompletableFuture<ExecutionId> id : ids) {
                    finished.add(coordinator.whenFinished(new ExecutionKey(OWNER.tenant(), id.get(120, TimeUnit.SECONDS))));
                }
            }
            CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            System.out.println("ALL_TERMINAL " + incarnation);
            coordinator.close();
        }
        System.exit(0);
    }

    /** As a client does: a start refused for now (store slow, replica full) is retried with the same key. */
    private static ExecutionId startRetrying(SagaCoordinator coordinator, int index) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return coordinator.start(CrashScript.NAME, OWNER, Integer.toString(index), "saga-" + index);
            } catch (UnavailableException | OverloadedException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
