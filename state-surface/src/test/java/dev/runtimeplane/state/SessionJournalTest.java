package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.failure;
import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session writes go to a real write-ahead log before they are acknowledged, and a replica's start
 * gives Redis back what it lost of them, without undoing anything newer and without reviving
 * closed sessions. Redis "loses data" here by having every key of the test's prefix deleted.
 */
class SessionJournalTest {

    @TempDir
    Path dir;
    private String prefix;
    private TenantId tenant;
    private RawRedis raw;

    /** One replica's session side: its own WAL, a state surface journaling into it, and the journal component. */
    private record Replica(WriteAheadLog wal, StateSurface surface, SessionJournal journal) implements AutoCloseable {
        @Override
        public void close() {
            journal.close();
            wal.close();
            surface.close();
        }
    }

    @BeforeEach
    void names() {
        prefix = "journal-" + Ids.random().substring(0, 10);
        tenant = TenantId.of("acme-" + Ids.random().substring(0, 6));
        raw = new RawRedis(RedisTestKit.shared().uri());
    }

    @AfterEach
    void closeRaw() {
        raw.close();
    }

    @Test
    void acknowledgedSessionWritesAreRestoredWhenRedisLosesThem() {
        CreatedSession kept;
        SessionId closed;
        try (Replica replica = replica(StateSurfaceOptions.builder())) {
            SessionStore sessions = replica.surface().sessions();
            SessionStateStore state = replica.surface().sessionState();
            kept = result(sessions.create(tenant, "alice", Map.of("plan", "gold"), Duration.ofMinutes(10)));
            SessionId id = kept.session().id();
            result(state.write(tenant, id, "{\"cart\":[1,2]}", 0));
            result(state.mergePatch(tenant, id, "{\"step\":\"pay\"}", OptionalLong.of(1)));
            result(sessions.touch(tenant, id));
            closed = result(sessions.create(tenant, "bob", Map.of())).session().id();
            result(sessions.close(tenant, closed));
        }
        Session before = kept.session();

        loseRedisData();
        try (Replica replica = replica(StateSurfaceOptions.builder())) {
            Session restored = result(replica.surface().sessions().get(tenant, before.id()));
            assertEquals(before.user(), restored.user());
            assertEquals(before.metadata(), restored.metadata());
            assertEquals(before.createdAt(), restored.createdAt());
            assertTrue(!restored.expiresAt().isBefore(before.expiresAt()), "the touch's later expiry was kept");
            assertEquals(new StateDocument("{\"cart\":[1,2],\"step\":\"pay\"}", 2),
                    result(replica.surface().sessionState().read(tenant, before.id())));
            assertEquals(Optional.of(before.id()), result(replica.surface().sessions().resolveToken(kept.bearerToken()))
                    .map(Session::id), "the bearer token works again");
            assertEquals(1, result(replica.surface().sessions().list(tenant, null, 10)).sessions().size());
            failure(NotFoundException.class, replica.surface().sessions().get(tenant, closed));
            assertEquals(1L, replica.journal().health().details().get("restoredSessions"));
            assertEquals(1L, replica.journal().health().details().get("restoredStates"));
        }
    }

    @Test
    void racingWritersEndWithTheWinningVersionRestored() throws Exception {
        SessionId id;
        StateDocument last;
        try (Replica replica = replica(StateSurfaceOptions.builder())) {
            id = result(replica.surface().sessions().create(tenant, "alice", Map.of())).session().id();
            SessionStateStore state = replica.surface().sessionState();
            // 8 writers patch one document at once: their journal appends can land out of version order.
            try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int writer = 0; writer < 8; writer++) {
                    String member = "w" + writer;
                    writers.submit(() -> {
                        for (int n = 0; n < 25; n++) {
                            result(state.mergePatch(tenant, id, "{\"" + member + "\":" + n + "}", OptionalLong.empty()));
                        }
                        return null;
                    });
                }
            }
            last = result(state.read(tenant, id));
            assertEquals(200, last.version());
        }

        loseRedisData();
        try (Replica replica = replica(StateSurfaceOptions.builder())) {
            assertEquals(last, result(replica.surface().sessionState().read(tenant, id)));
        }
    }

    @Test
    void replayNeverUndoesANewerWriteMadeThroughAnotherReplica() {
        SessionId id;
        try (Replica replica = replica(StateSurfaceOptions.builder())) {
            id = result(replica.surface().sessions().create(tenant, "alice", Map.of())).session().id();
            result(replica.surface().sessionState().write(tenant, id, "{\"by\":\"this replica\"}", 0));
        }
        try (StateSurface other = plainSurface()) {
            result(other.sessionState().write(tenant, id, "{\"by\":\"another replica\"}", 1));
        }

        try (Replica replica = replica(StateSurfaceOptions.builder())) {
            assertEquals(new StateDocument("{\"by\":\"another replica\"}", 2),
                    result(replica.surface().sessionState().read(tenant, id)));
            assertEquals(0L, replica.journal().health().details().get("restoredStates"));
        }
    }

    @Test
    void aStateJournaledThroughAnotherReplicaSurvivesWhicheverReplicaReplaysFirst() {
        SessionId id;
        try (Replica creator = replica(StateSurfaceOptions.builder(), "creator-wal");
             Replica writer = replica(StateSurfaceOptions.builder(), "writer-wal")) {
            id = result(creator.surface().sessions().create(tenant, "alice", Map.of())).session().id();
            result(writer.surface().sessionState().write(tenant, id, "{\"by\":\"the writer\"}", 0));
        }

        loseRedisData();
        // The writer replays first: its state waits for the session, which the creator's replay brings back.
        try (Replica writer = replica(StateSurfaceOptions.builder(), "writer-wal")) {
            failure(NotFoundException.class, writer.surface().sessions().get(tenant, id));
            try (Replica creator = replica(StateSurfaceOptions.builder(), "creator-wal")) {
                assertEquals(new StateDocument("{\"by\":\"the writer\"}", 1),
                        result(creator.surface().sessionState().read(tenant, id)));
            }
        }
    }

    @Test
    void aSessionClosedThroughAnotherReplicaStaysClosed() {
        SessionId id;
        try (Replica replica = replica(StateSurfaceOptions.builder())) {
            id = result(replica.surface().sessions().create(tenant, "alice", Map.of())).session().id();
        }
        try (StateSurface other = plainSurface()) {
            result(other.sessions().close(tenant, id));
        }

        try (Replica replica = replica(StateSurfaceOptions.builder())) {
            failure(NotFoundException.class, replica.surface().sessions().get(tenant, id));
            assertEquals(0L, replica.journal().health().details().get("restoredSessions"));
        }
    }

    @Test
    void aTouchJournaledAfterARacingCloseDoesNotReviveTheSession() throws Exception {
        CreatedSession created;
        try (WriteAheadLog wal = openWal()) {
            HeldJournal held = new HeldJournal(wal);
            try (StateSurface surface = new StateSurface(options(StateSurfaceOptions.builder()), held)) {
                surface.start();
                Await.healthUp(surface);
                SessionJournal journal = surface.sessionJournal().orElseThrow();
                journal.start();
                awaitUp(journal);
                created = result(surface.sessions().create(tenant, "alice", Map.of()));
                SessionId id = created.session().id();

                held.hold(SessionRecords.SESSION);
                CompletableFuture<Session> touch = surface.sessions().touch(tenant, id); // record held, Redis not touched yet
                Await.until("the touch reaches the journal", Await.LIMIT, () -> held.waiting() == 1);
                result(surface.sessions().close(tenant, id)); // CLOSED journaled, Redis closed, acknowledged
                held.release();
                // Its SESSION record lands after the CLOSED one; Redis no longer has the session to extend.
                failure(NotFoundException.class, touch);
                journal.close();
            }
        }

        loseRedisData();
        try (Replica replica = replica(StateSurfaceOptions.builder())) {
            failure(NotFoundException.class, replica.surface().sessions().get(tenant, created.session().id()));
            assertEquals(Optional.empty(), result(replica.surface().sessions().resolveToken(created.bearerToken())));
        }
    }

    @Test
    void writesWaitForTheReplayWhileReadsDoNot() throws Exception {
        SessionId id;
        try (Replica replica = replica(StateSurfaceOptions.builder())) {
            id = result(replica.surface().sessions().create(tenant, "alice", Map.of())).session().id();
        }
        try (WriteAheadLog wal = openWal();
             StateSurface surface = new StateSurface(options(StateSurfaceOptions.builder()), wal)) {
            surface.start();
            Await.healthUp(surface);
            SessionJournal journal = surface.sessionJournal().orElseThrow();

            assertEquals(0, result(surface.sessionState().read(tenant, id)).version());
            failure(UnavailableException.class, surface.sessionState().write(tenant, id, "{}", 0));
            failure(UnavailableException.class, surface.sessions().create(tenant, "bob", Map.of()));
            failure(UnavailableException.class, surface.sessions().touch(tenant, id));
            failure(UnavailableException.class, surface.sessions().close(tenant, id));

            journal.start();
            awaitUp(journal);
            assertEquals(1, result(surface.sessionState().write(tenant, id, "{}", 0)).version());
            journal.close();
        }
    }

    @Test
    void idleSessionsAreCarriedForwardSoTheLogCanDropOldSegments() {
        StateSurfaceOptions.Builder options = StateSurfaceOptions.builder()
                .journalCarryAfterRecords(100)
                .journalFloorInterval(Duration.ofMillis(50));
        SessionId idle;
        long idleRecords;
        try (Replica replica = replica(options)) {
            idle = result(replica.surface().sessions().create(tenant, "idle", Map.of())).session().id();
            result(replica.surface().sessionState().write(tenant, idle, "{\"kept\":true}", 0));
            idleRecords = replica.wal().lastSequence();

            SessionId busy = result(replica.surface().sessions().create(tenant, "busy", Map.of())).session().id();
            for (int version = 0; version < 600; version++) {
                result(replica.surface().sessionState().write(tenant, busy, "{\"n\":" + version + "}", version));
            }
            Await.until("the log drops the segments holding the idle session's first records", Await.LIMIT,
                    () -> firstSequence(replica.wal()) > idleRecords);
        }

        loseRedisData();
        try (Replica replica = replica(options)) {
            assertEquals(new StateDocument("{\"kept\":true}", 1), result(replica.surface().sessionState().read(tenant, idle)));
        }
    }

    /**
     * More live sessions than the carry threshold: their records cannot all be that young. Carrying must
     * still come to rest (each pass carried nearly every session again, forever: a log and disk load that
     * grew with the number of sessions while no client wrote anything).
     */
    @Test
    void idleSessionsOutnumberingTheCarryThresholdComeToRest() throws InterruptedException {
        StateSurfaceOptions.Builder options = StateSurfaceOptions.builder()
                .journalCarryAfterRecords(100)
                .journalFloorInterval(Duration.ofMillis(20));
        try (Replica replica = replica(options)) {
            for (int i = 0; i < 400; i++) {
                result(replica.surface().sessions().create(tenant, "idle-" + i, Map.of()));
            }
            Thread.sleep(500); // 25 floor passes
            long settled = replica.wal().lastSequence();
            Thread.sleep(500);
            assertEquals(settled, replica.wal().lastSequence(), "records appended while every session was idle");
        }
    }

    @Test
    void anExpiredSessionNoLongerHoldsTheLog() {
        StateSurfaceOptions.Builder options = StateSurfaceOptions.builder().journalFloorInterval(Duration.ofMillis(50));
        try (Replica replica = replica(options)) {
            result(replica.surface().sessions().create(tenant, "brief", Map.of(), Duration.ofSeconds(1)));
            Await.until("the session is tracked", Await.LIMIT,
                    () -> Integer.valueOf(1).equals(replica.journal().health().details().get("trackedSessions")));

            Await.until("the expired session is released", Await.LIMIT,
                    () -> Integer.valueOf(0).equals(replica.journal().health().details().get("trackedSessions")));
            Await.until("the floor passes its records", Await.LIMIT,
                    () -> (Long) replica.journal().health().details().get("floor") > replica.wal().lastSequence() - 1);
        }
    }

    private Replica replica(StateSurfaceOptions.Builder options) {
        return replica(options, "wal");
    }

    private Replica replica(StateSurfaceOptions.Builder options, String walDir) {
        WriteAheadLog wal = openWal(walDir);
        StateSurface surface = new StateSurface(options(options), wal);
        surface.start();
        Await.healthUp(surface);
        SessionJournal journal = surface.sessionJournal().orElseThrow();
        journal.start();
        awaitUp(journal);
        return new Replica(wal, surface, journal);
    }

    private StateSurface plainSurface() {
        StateSurface surface = new StateSurface(options(StateSurfaceOptions.builder()));
        surface.start();
        Await.healthUp(surface);
        return surface;
    }

    private StateSurfaceOptions options(StateSurfaceOptions.Builder builder) {
        return builder.redisUri(RedisTestKit.shared().uri()).keyPrefix(prefix).build();
    }

    private WriteAheadLog openWal() {
        return openWal("wal");
    }

    private WriteAheadLog openWal(String walDir) {
        return WriteAheadLog.open(WalOptions.builder(dir.resolve(walDir))
                .fsyncPolicy(FsyncPolicy.ALWAYS)
                .segmentSize(WalOptions.MIN_SEGMENT_SIZE)
                .build());
    }

    private static void awaitUp(SessionJournal journal) {
        Await.until(() -> "the session journal is up: " + journal.health(), Await.LIMIT,
                () -> journal.health().status() == HealthStatus.UP);
    }

    private static long firstSequence(WriteAheadLog wal) {
        try (Stream<JournalEntry> entries = wal.replay(1)) {
            return entries.findFirst().map(JournalEntry::sequence).orElse(Long.MAX_VALUE);
        }
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
