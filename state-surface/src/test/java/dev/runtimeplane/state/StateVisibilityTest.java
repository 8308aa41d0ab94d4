package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.failure;
import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.error.VersionConflictException;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.time.ManualClock;
import dev.runtimeplane.testkit.RedisTestKit;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No reader ever sees a state version whose journal record is not durable, and a version number
 * names one document only, also across a Redis that loses its data. The journal record's fsync is
 * held by the test ({@link HeldJournal}) to open the window between Redis and the journal.
 */
class StateVisibilityTest {

    @TempDir
    Path dir;
    private String prefix;
    private TenantId tenant;
    private RawRedis raw;

    @BeforeEach
    void names() {
        prefix = "visible-" + Ids.random().substring(0, 10);
        tenant = TenantId.of("acme-" + Ids.random().substring(0, 6));
        raw = new RawRedis(RedisTestKit.shared().uri());
    }

    @AfterEach
    void closeRaw() {
        raw.close();
    }

    @Test
    void aVersionIsReadableOnlyOnceItsRecordIsDurable() {
        try (JournaledReplica replica = JournaledReplica.start(dir.resolve("a"), options().build());
             StateSurface reader = plainSurface()) {
            SessionId id = result(replica.sessions().create(tenant, "alice", Map.of())).session().id();
            StateDocument first = result(replica.state().write(tenant, id, "{\"n\":1}", 0));

            replica.held().hold(SessionRecords.STATE);
            CompletableFuture<StateDocument> second = replica.state().write(tenant, id, "{\"n\":2}", 1);
            Await.until("the write waits for its fsync", Await.LIMIT, () -> replica.held().waiting() == 1);

            assertEquals(first, result(reader.sessionState().read(tenant, id)), "another replica reads the durable version");
            assertEquals(first, result(replica.state().read(tenant, id)), "so does the writing replica");
            VersionConflictException taken = failure(VersionConflictException.class,
                    reader.sessionState().write(tenant, id, "{\"n\":\"other\"}", 1));
            assertEquals(2, taken.actualVersion(), "the pending version is taken");

            replica.held().release();
            assertEquals(new StateDocument("{\"n\":2}", 2), result(second));
            assertEquals(new StateDocument("{\"n\":2}", 2), result(reader.sessionState().read(tenant, id)));
        }
    }

    @Test
    void aTouchIsVisibleOnlyOnceItsRecordIsDurable() {
        ManualClock clock = new ManualClock(Instant.now());
        try (JournaledReplica replica = JournaledReplica.start(dir.resolve("a"), options().clock(clock).build());
             StateSurface reader = plainSurface()) {
            Session created = result(replica.sessions().create(tenant, "alice", Map.of())).session();
            clock.advance(Duration.ofMinutes(1));

            replica.held().hold(SessionRecords.SESSION);
            CompletableFuture<Session> touch = replica.sessions().touch(tenant, created.id());
            Await.until("the touch waits for its fsync", Await.LIMIT, () -> replica.held().waiting() == 1);
            assertEquals(created.expiresAt(), result(reader.sessions().get(tenant, created.id())).expiresAt(),
                    "no replica sees an expiry that is not durable");

            replica.held().release();
            Instant extended = created.expiresAt().plus(Duration.ofMinutes(1));
            assertEquals(extended, result(touch).expiresAt());
            assertEquals(extended, result(reader.sessions().get(tenant, created.id())).expiresAt());
        }
    }

    @Test
    void aMergePatchWithoutIfMatchWaitsForThePendingVersionAndAppliesOnTopOfIt() {
        try (JournaledReplica replica = JournaledReplica.start(dir.resolve("a"), options().build());
             StateSurface other = plainSurface()) {
            SessionId id = result(replica.sessions().create(tenant, "alice", Map.of())).session().id();
            replica.held().hold(SessionRecords.STATE);
            CompletableFuture<StateDocument> write = replica.state().write(tenant, id, "{\"a\":1}", 0);
            Await.until("the write waits for its fsync", Await.LIMIT, () -> replica.held().waiting() == 1);

            CompletableFuture<StateDocument> patch = other.sessionState().mergePatch(tenant, id, "{\"b\":2}",
                    OptionalLong.empty());
            replica.held().release();

            assertEquals(new StateDocument("{\"a\":1}", 1), result(write));
            assertEquals(new StateDocument("{\"a\":1,\"b\":2}", 2), result(patch));
        }
    }

    @Test
    void aStalledPendingVersionIsJournaledAndPromotedByTheNextWriterNeverDropped() {
        StateSurfaceOptions options = options().pendingStateDeadline(Duration.ofMillis(200)).build();
        SessionId id;
        try (JournaledReplica stalled = JournaledReplica.start(dir.resolve("a"), options)) {
            id = result(stalled.sessions().create(tenant, "alice", Map.of())).session().id();
            stalled.held().hold(SessionRecords.STATE);
            CompletableFuture<StateDocument> stuck = stalled.state().write(tenant, id, "{\"by\":\"a\"}", 0);
            Await.until("the write waits for its fsync", Await.LIMIT, () -> stalled.held().waiting() == 1);

            try (JournaledReplica next = JournaledReplica.start(dir.resolve("b"), options)) {
                // Waits for the pending version, finds it stalled, journals and promotes it, then patches it.
                assertEquals(new StateDocument("{\"by\":\"a\",\"and\":\"b\"}", 2), result(next.state()
                        .mergePatch(tenant, id, "{\"and\":\"b\"}", OptionalLong.empty())));
            }
            stalled.held().fail();
            failure(UnavailableException.class, stuck);
        }

        loseRedisData();
        try (JournaledReplica first = JournaledReplica.start(dir.resolve("a"), options);
             JournaledReplica next = JournaledReplica.start(dir.resolve("b"), options)) {
            assertEquals(0, first.journalDetail("restoredStates"), "a's own record never became durable");
            assertEquals(new StateDocument("{\"by\":\"a\",\"and\":\"b\"}", 2), result(next.state().read(tenant, id)));
        }
    }

    @Test
    void aVersionNumberNamesOneDocumentAcrossARedisThatLostItsData() {
        Map<Long, String> seen = new HashMap<>();
        SessionId id;
        try (JournaledReplica replica = JournaledReplica.start(dir.resolve("a"), options().build());
             StateSurface reader = plainSurface()) {
            id = result(replica.sessions().create(tenant, "alice", Map.of())).session().id();
            observe(seen, result(replica.state().write(tenant, id, "{\"n\":\"first\"}", 0)));

            // The journal never makes this write durable (say, the WAL closes under it during a drain).
            replica.held().hold(SessionRecords.STATE);
            CompletableFuture<StateDocument> lost = replica.state().write(tenant, id, "{\"n\":\"never durable\"}", 1);
            Await.until("the write waits for its fsync", Await.LIMIT, () -> replica.held().waiting() == 1);
            observe(seen, result(reader.sessionState().read(tenant, id)));
            replica.held().fail();
            failure(UnavailableException.class, lost);
            observe(seen, result(reader.sessionState().read(tenant, id)));
        }

        loseRedisData();
        try (JournaledReplica replica = JournaledReplica.start(dir.resolve("a"), options().build())) {
            StateDocument restored = result(replica.state().read(tenant, id));
            observe(seen, restored);
            observe(seen, result(replica.state().write(tenant, id, "{\"n\":\"second\"}", restored.version())));
            observe(seen, result(replica.state().read(tenant, id)));
        }
    }

    /** Records what a version was seen to hold; fails when a version was seen holding another document. */
    private static void observe(Map<Long, String> seen, StateDocument document) {
        String before = seen.putIfAbsent(document.version(), document.json());
        if (before != null) {
            assertEquals(before, document.json(), "version " + document.version() + " named two documents");
        }
    }

    private StateSurfaceOptions.Builder options() {
        return StateSurfaceOptions.builder().redisUri(RedisTestKit.shared().uri()).keyPrefix(prefix);
    }

    private StateSurface plainSurface() {
        StateSurface surface = new StateSurface(options().build());
        surface.start();
        Await.healthUp(surface);
        return surface;
    }

    /** Deletes every key of this test's prefix, as a Redis restarted without persistence would have. */
    private void loseRedisData() {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = raw.commands().scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(500));
            if (!page.getKeys().isEmpty()) {
                raw.commands().del(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }
}
