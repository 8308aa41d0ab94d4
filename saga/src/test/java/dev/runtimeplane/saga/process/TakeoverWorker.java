package dev.runtimeplane.saga.process;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaCoordinatorOptions;
import dev.runtimeplane.saga.SagaDefinition;
import dev.runtimeplane.saga.SagaOwner;
import dev.runtimeplane.saga.SagaRegistry;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.saga.testing.Surfaces;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Replica A of the takeover test: starts sagas of slow steps on the real WAL and Redis with a short
 * lease, prints {@code ACK execution} for each and {@code STARTED} when all are acknowledged, then keeps
 * working until the test kills it.
 *
 * <p>Arguments: walDir redisUri keyPrefix effectsFile count replicaId
 */
public final class TakeoverWorker {

    static final SagaOwner OWNER = new SagaOwner(TenantId.of("takeover-tenant"), SessionId.of("takeover-session"));
    static final Duration LEASE_TTL = Duration.ofSeconds(2);

    private TakeoverWorker() {
    }

    /** Five steps of 300 ms each: each saga is still running when replica A is killed. */
    static SagaDefinition definition(SideEffects effects, String replica) {
        SagaDefinition.Builder builder = SagaDefinition.builder("slow-saga", 1);
        for (int s = 0; s < 5; s++) {
            String step = "s" + s;
            builder.step(step, ctx -> {
                effects.line("RUN " + replica + " " + ctx.execution() + " " + step + " " + ctx.attempt());
                Thread.sleep(300);
                return replica + ":" + step;
            });
        }
        return builder.build();
    }

    static SagaCoordinatorOptions options(String replica) {
        return SagaCoordinatorOptions.builder(replica)
                .leaseTtl(LEASE_TTL)
                .leaseRenewInterval(Duration.ofMillis(500))
                .adoptionInterval(Duration.ofMillis(250))
                .build();
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[4]);
        String replica = args[5];
        try (SideEffects effects = new SideEffects(Path.of(args[3]));
             WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(Path.of(args[0]))
                     .fsyncPolicy(FsyncPolicy.ALWAYS).build());
             StateSurface surface = Surfaces.open(args[1], args[2])) {
            SagaCoordinator coordinator = new SagaCoordinator(new SagaRegistry().register(definition(effects, replica)),
                    wal, surface.executions(), options(replica));
            coordinator.start();
            for (int i = 0; i < count; i++) {
                ExecutionId id = coordinator.start("slow-saga", OWNER, Integer.toString(i), "takeover-" + i);
                System.out.println("ACK " + id);
            }
            System.out.println("STARTED");
            Thread.sleep(Duration.ofMinutes(5));
        }
    }
}
