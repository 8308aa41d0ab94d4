package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.failure;
import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis that restarts empty while the replica runs (no persistence) is noticed by the health probe;
 * the replica turns not ready, refuses session writes, replays its journal into Redis again and is
 * ready again, with every session back, without a restart.
 */
class RedisDataLossTest {

    @TempDir
    Path dir;
    private RedisServer server;
    private final TenantId tenant = TenantId.of("acme");

    @BeforeEach
    void startRedis() {
        server = RedisTestKit.startServer();
    }

    @AfterEach
    void stopRedis() {
        server.close();
    }

    @Test
    void aRunningReplicaRebuildsWhatRedisLostAndIsNotReadyMeanwhile() {
        try (JournaledReplica replica = JournaledReplica.start(dir.resolve("a"), options())) {
            CreatedSession created = result(replica.sessions().create(tenant, "alice", Map.of("plan", "gold")));
            SessionId id = created.session().id();
            StateDocument written = result(replica.state().write(tenant, id, "{\"cart\":[1,2]}", 0));
            CompletableFuture<Void> saga = new CompletableFuture<>();
            replica.surface().onDataLoss(saga::join); // another rebuild step, held until the test lets it go

            server.stop();
            server.start();

            HealthSnapshot rebuilding = Await.health(replica.surface(), HealthStatus.DOWN, Await.LIMIT);
            Await.until(() -> "not ready while rebuilding: " + replica.surface().health(), Await.LIMIT,
                    () -> replica.surface().health().reason().equals("rebuilding after Redis lost its data"));
            Await.until("the session journal rebuilt", Await.LIMIT, () -> replica.journalDetail("rebuilds") == 1);
            assertEquals(created.session(), result(replica.sessions().get(tenant, id)), "the session is back");
            assertEquals(written, result(replica.state().read(tenant, id)));
            assertEquals(Optional.of(id), result(replica.sessions().resolveToken(created.bearerToken())).map(Session::id));
            assertEquals(HealthStatus.DOWN, replica.surface().health().status(), "still rebuilding executions: " + rebuilding);

            saga.complete(null);
            Await.healthUp(replica.surface());
            assertEquals(1L, replica.surface().health().details().get("dataLosses"));
            assertEquals(2, result(replica.state().write(tenant, id, "{}", 1)).version());
        }
    }

    @Test
    void sessionWritesAreRefusedUntilTheRebuildIsDoneAndAWriteInFlightIsNotLost() {
        try (JournaledReplica replica = JournaledReplica.start(dir.resolve("a"), options())) {
            SessionId id = result(replica.sessions().create(tenant, "alice", Map.of())).session().id();
            replica.held().hold(SessionRecords.STATE);
            CompletableFuture<StateDocument> inFlight = replica.state().write(tenant, id, "{\"in\":\"flight\"}", 0);
            Await.until("the write waits for its fsync", Await.LIMIT, () -> replica.held().waiting() == 1);

            server.stop();
            server.start();

            // The rebuild waits for the write admitted before the loss, and refuses new ones meanwhile.
            Await.until(() -> "the session journal rebuilds: " + replica.journal().health(), Await.LIMIT,
                    () -> replica.journal().health().reason().startsWith("rebuilding after Redis lost its data"));
            failure(UnavailableException.class, replica.sessions().create(tenant, "bob", Map.of()));
            failure(UnavailableException.class, replica.state().write(tenant, id, "{}", 0));

            replica.held().release();
            // Redis lost the pending version, so the writer cannot tell its outcome; its record is durable.
            failure(UnavailableException.class, inFlight);
            replica.awaitJournalUp();
            assertEquals(new StateDocument("{\"in\":\"flight\"}", 1), result(replica.state().read(tenant, id)));
        }
    }

    private StateSurfaceOptions options() {
        return StateSurfaceOptions.builder()
                .redisUri(server.uri())
                .healthInterval(Duration.ofMillis(100))
                .build();
    }
}
