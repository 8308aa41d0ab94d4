package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.failure;
import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas, each with its own write-ahead log, on one Redis of the test's own that restarts empty
 * (no persistence): a session opened through A and closed through B stays closed whichever of them
 * replays, also when B is gone for good.
 */
class ReplicaCloseTest {

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
    void aSessionClosedThroughAnotherReplicaStaysClosedWhenRedisRestartsEmptyAndThisReplicaReplays() {
        CreatedSession created;
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options())) {
            created = result(a.sessions().create(tenant, "alice", Map.of()));
            SessionId id = created.session().id();
            result(a.state().write(tenant, id, "{\"cart\":[1]}", 0));
            try (JournaledReplica b = JournaledReplica.start(dir.resolve("b"), options())) {
                result(b.sessions().close(tenant, id));
            }
            Await.until("A journals B's close", Await.LIMIT, () -> a.journalDetail("closesFromOtherReplicas") == 1);
        }

        // B is gone for good; Redis restarts without its data; A starts again and replays its own journal.
        server.stop();
        server.start();
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options())) {
            failure(NotFoundException.class, a.sessions().get(tenant, created.session().id()));
            failure(NotFoundException.class, a.state().read(tenant, created.session().id()));
            assertEquals(Optional.empty(), result(a.sessions().resolveToken(created.bearerToken())), "the token is refused");
            assertEquals(1, a.journalDetail("restoredCloses"), "A left the tombstone again");
        }
    }

    @Test
    void aCloseReplayedByOneReplicaWinsOverTheSessionAnotherReplicaRestores() {
        CreatedSession created;
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options())) {
            created = result(a.sessions().create(tenant, "alice", Map.of()));
        }
        try (JournaledReplica b = JournaledReplica.start(dir.resolve("b"), options())) {
            result(b.sessions().close(tenant, created.session().id()));
        }

        // A was down when B closed the session, so A's journal has only the open session. B replays after A.
        server.stop();
        server.start();
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options());
             JournaledReplica b = JournaledReplica.start(dir.resolve("b"), options())) {
            assertEquals(1, b.journalDetail("restoredCloses"));
            failure(NotFoundException.class, a.sessions().get(tenant, created.session().id()));
            assertEquals(Optional.empty(), result(a.sessions().resolveToken(created.bearerToken())));
        }
    }

    @Test
    void aReplicaWhoseReplayMeetsAnotherReplicasTombstoneJournalsTheCloseItself() {
        CreatedSession created;
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options())) {
            created = result(a.sessions().create(tenant, "alice", Map.of()));
        }
        try (JournaledReplica b = JournaledReplica.start(dir.resolve("b"), options())) {
            result(b.sessions().close(tenant, created.session().id()));
        }

        // A was down when B closed the session. Redis restarts empty; B replays first, then A.
        server.stop();
        server.start();
        try (JournaledReplica b = JournaledReplica.start(dir.resolve("b"), options());
             JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options())) {
            failure(NotFoundException.class, a.sessions().get(tenant, created.session().id()));
        }

        // Redis restarts empty again and B is gone for good: A's own journal now has the close.
        server.stop();
        server.start();
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options())) {
            failure(NotFoundException.class, a.sessions().get(tenant, created.session().id()));
            assertEquals(Optional.empty(), result(a.sessions().resolveToken(created.bearerToken())));
        }
    }

    private StateSurfaceOptions options() {
        return StateSurfaceOptions.builder()
                .redisUri(server.uri())
                .healthInterval(Duration.ofMillis(100))
                .build();
    }
}
