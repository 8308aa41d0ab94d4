package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.failure;
import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.testkit.RedisTestKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the session side keeps in memory and in Redis is bounded, and the bound answers with
 * {@code UnavailableException} (503, retry) rather than growing: tracked sessions, session writes in
 * flight, and the stream of closes.
 */
class SessionBoundsTest {

    @TempDir
    Path dir;
    private final String prefix = "bounds-" + Ids.random().substring(0, 10);
    private final TenantId tenant = TenantId.of("acme-" + Ids.random().substring(0, 6));

    @Test
    void aReplicaTracksAtMostMaxTrackedSessionsAndTakesNewOnesOnceOldOnesEnded() {
        StateSurfaceOptions options = options().maxTrackedSessions(2)
                .journalFloorInterval(Duration.ofMillis(50)).build();
        try (JournaledReplica replica = JournaledReplica.start(dir.resolve("a"), options)) {
            result(replica.sessions().create(tenant, "brief", Map.of(), Duration.ofSeconds(1)));
            SessionId kept = result(replica.sessions().create(tenant, "kept", Map.of())).session().id();

            failure(UnavailableException.class, replica.sessions().create(tenant, "third", Map.of()));
            assertEquals(1, result(replica.state().write(tenant, kept, "{}", 0)).version(),
                    "a tracked session's writes still work at the bound");
            Await.until("the refusal is counted", Await.LIMIT, () -> replica.journalDetail("refusedAtBound") == 1);
            assertEquals(2, replica.journalDetail("trackedSessions"));

            Await.until("the expired session is released", Await.LIMIT, () -> replica.journalDetail("trackedSessions") == 1);
            result(replica.sessions().create(tenant, "third", Map.of()));
        }
    }

    @Test
    void atMostMaxSessionWritesInFlightWaitForTheJournal() {
        try (JournaledReplica replica = JournaledReplica.start(dir.resolve("a"), options().maxSessionWritesInFlight(1).build())) {
            SessionId id = result(replica.sessions().create(tenant, "alice", Map.of())).session().id();
            replica.held().hold(SessionRecords.STATE);
            CompletableFuture<StateDocument> waiting = replica.state().write(tenant, id, "{\"n\":1}", 0);
            Await.until("the write waits for its fsync", Await.LIMIT, () -> replica.held().waiting() == 1);

            failure(UnavailableException.class, replica.state().read(tenant, id).thenCompose(
                    current -> replica.sessions().touch(tenant, id)));

            replica.held().release();
            assertEquals(1, result(waiting).version());
            result(replica.sessions().touch(tenant, id));
        }
    }

    @Test
    void theStreamOfClosesKeepsAboutCloseFeedLengthEntries() {
        try (JournaledReplica replica = JournaledReplica.start(dir.resolve("a"), options().closeFeedLength(10).build());
             RawRedis raw = new RawRedis(RedisTestKit.shared().uri())) {
            int closes = 300;
            for (int i = 0; i < closes; i++) {
                SessionId id = result(replica.sessions().create(tenant, "u" + i, Map.of())).session().id();
                result(replica.sessions().close(tenant, id));
            }
            long length = raw.commands().xlen(prefix + ":closes");
            // MAXLEN ~ trims whole stream nodes (100 entries each by default), never below the bound.
            assertTrue(length >= 10 && length <= 10 + 100, "the stream holds " + length + " of " + closes + " closes");
        }
    }

    private StateSurfaceOptions.Builder options() {
        return StateSurfaceOptions.builder().redisUri(RedisTestKit.shared().uri()).keyPrefix(prefix);
    }
}
