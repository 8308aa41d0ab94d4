package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.failure;
import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.FencedException;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.error.TooLargeException;
import dev.runtimeplane.core.error.VersionConflictException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ActivePage;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionLabels;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.Lease;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every Redis deployment must show: sessions, state, leases and executions. Run
 * against a standalone server and a 3-master cluster by the subclasses. Each test uses its own
 * tenant, the class its own key prefix (the shared Redis is never flushed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StateSurfaceContract {

    private static final Duration LEASE_TTL = Duration.ofSeconds(30);

    protected StateSurface surface;
    protected RawRedis raw;
    protected String prefix;

    /** The URI of the Redis under test (in the surface's own scheme). */
    protected abstract String redisUri();

    /** Stops what {@link #redisUri()} started, after the surface is closed. */
    protected void closeRedis() {
    }

    @BeforeAll
    void openSurface() {
        prefix = "test-" + Ids.random().substring(0, 12);
        surface = new StateSurface(StateSurfaceOptions.builder()
                .redisUri(redisUri())
                .keyPrefix(prefix)
                .maxStateBytes(4096)
                .build());
        surface.start();
        Await.healthUp(surface);
        raw = new RawRedis(redisUri());
    }

    @AfterAll
    void closeSurface() {
        if (raw != null) {
            raw.close();
        }
        if (surface != null) {
            surface.close();
        }
        closeRedis();
    }

    protected static TenantId newTenant() {
        return TenantId.of("tenant-" + Ids.random().substring(0, 12));
    }

    protected CreatedSession newSession(TenantId tenant) {
        return result(surface.sessions().create(tenant, "alice", Map.of("client", "test")));
    }

    // ---- connection ----

    @Test
    void healthIsUpWithTheRoundTripTime() {
        var health = surface.health();

        assertTrue(health.ready());
        assertEquals(true, health.details().get("connected"));
        assertTrue(((Double) health.details().get("roundTripMillis")) >= 0);
        assertEquals(StateSurface.NAME, health.component());
    }

    @Test
    void scriptsAreLoadedAgainWhenRedisHasForgottenThem() {
        TenantId tenant = newTenant();
        SessionId id = newSession(tenant).session().id();

        raw.commands().scriptFlush();

        assertEquals(1, result(surface.sessionState().write(tenant, id, "{}", 0)).version());
        assertEquals(2, result(surface.sessionState().mergePatch(tenant, id, "{\"a\":1}", OptionalLong.empty())).version());
    }

    // ---- sessions ----

    @Test
    void createsAndReadsASession() {
        TenantId tenant = newTenant();
        CreatedSession created = result(surface.sessions().create(tenant, "alice", Map.of("agent", "cli/1.0", "region", "eu"),
                Duration.ofMinutes(5)));
        Session session = created.session();

        assertEquals(tenant, session.tenant());
        assertEquals("alice", session.user());
        assertEquals(Map.of("agent", "cli/1.0", "region", "eu"), session.metadata());
        assertEquals(Duration.ofMinutes(5), session.ttl());
        assertEquals(session.createdAt().plus(Duration.ofMinutes(5)), session.expiresAt());
        assertEquals(session, result(surface.sessions().get(tenant, session.id())));
    }

    @Test
    void bearerTokenCarriesTwoHundredFiftySixRandomBitsAndOnlyItsHashIsStored() {
        TenantId tenant = newTenant();
        CreatedSession created = newSession(tenant);
        String token = created.bearerToken();
        String secret = token.substring(token.lastIndexOf('.') + 1);

        assertEquals(32, Base64.getUrlDecoder().decode(secret).length);
        KeyLayout keys = new KeyLayout(prefix);
        Map<String, String> stored = raw.commands().hgetall(keys.sessionHash(tenant, created.session().id()));
        assertFalse(stored.values().stream().anyMatch(value -> value.contains(secret)), "the secret is stored");
        assertFalse(created.toString().contains(secret), "toString shows the token");
    }

    @Test
    void resolvesATokenToItsSessionAndRejectsAnyOtherToken() {
        TenantId tenant = newTenant();
        CreatedSession created = newSession(tenant);
        String token = created.bearerToken();

        assertEquals(Optional.of(created.session()), result(surface.sessions().resolveToken(token)));

        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertEquals(Optional.empty(), result(surface.sessions().resolveToken(tampered)));
        String otherTenant = newTenant().value() + token.substring(token.indexOf('.'));
        assertEquals(Optional.empty(), result(surface.sessions().resolveToken(otherTenant)));
        for (String malformed : List.of("", "abc", "a.b", "a.b.c.d", "a}.b.c", "{x}.y.z", "..", token + " ")) {
            assertEquals(Optional.empty(), result(surface.sessions().resolveToken(malformed)), malformed);
        }
    }

    @Test
    void aTenantCannotReachAnotherTenantsSession() {
        TenantId owner = newTenant();
        TenantId other = newTenant();
        SessionId id = newSession(owner).session().id();

        failure(NotFoundException.class, surface.sessions().get(other, id));
        failure(NotFoundException.class, surface.sessionState().read(other, id));
        failure(NotFoundException.class, surface.sessionState().write(other, id, "{}", 0));
        failure(NotFoundException.class, surface.sessions().close(other, id));
        assertEquals(0, result(surface.sessionState().read(owner, id)).version());
    }

    @Test
    void touchSlidesTheExpiryOfTheSessionAndItsState() {
        TenantId tenant = newTenant();
        Session session = result(surface.sessions().create(tenant, "alice", Map.of(), Duration.ofSeconds(3))).session();
        KeyLayout keys = new KeyLayout(prefix);
        raw.commands().pexpire(keys.sessionHash(tenant, session.id()), 1_000);
        raw.commands().pexpire(keys.sessionState(tenant, session.id()), 1_000);

        Session touched = result(surface.sessions().touch(tenant, session.id()));

        assertTrue(touched.expiresAt().isAfter(session.expiresAt().minusMillis(1)));
        assertTrue(raw.commands().pttl(keys.sessionHash(tenant, session.id())) > 2_000);
        assertTrue(raw.commands().pttl(keys.sessionState(tenant, session.id())) > 2_000);
        assertEquals(touched, result(surface.sessions().get(tenant, session.id())));
    }

    @Test
    void closeRemovesTheSessionItsStateAndItsIndexEntries() {
        TenantId tenant = newTenant();
        CreatedSession created = newSession(tenant);
        SessionId id = created.session().id();
        result(surface.sessionState().write(tenant, id, "{\"a\":1}", 0));

        result(surface.sessions().close(tenant, id));

        failure(NotFoundException.class, surface.sessions().get(tenant, id));
        failure(NotFoundException.class, surface.sessionState().read(tenant, id));
        failure(NotFoundException.class, surface.sessions().touch(tenant, id));
        failure(NotFoundException.class, surface.sessions().close(tenant, id));
        assertEquals(Optional.empty(), result(surface.sessions().resolveToken(created.bearerToken())));
        assertEquals(List.of(), result(surface.sessions().list(tenant, null, 10)).sessions());
        KeyLayout keys = new KeyLayout(prefix);
        assertEquals(0, raw.commands().exists(keys.sessionHash(tenant, id), keys.sessionState(tenant, id)));
        assertEquals(0, raw.commands().zcard(keys.tenantSessions(tenant)));
        assertEquals(0, raw.commands().zcard(keys.tenantSessionExpiry(tenant)));
    }

    @Test
    void listsATenantsSessionsInPagesOldestFirst() {
        TenantId tenant = newTenant();
        List<SessionId> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(newSession(tenant).session().id());
            Await.sleep(Duration.ofMillis(2)); // distinct creation milliseconds, so the order is known
        }
        newSession(newTenant()); // another tenant's session never shows up

        List<SessionId> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            SessionPage page = result(surface.sessions().list(tenant, cursor, 2));
            page.sessions().forEach(session -> listed.add(session.id()));
            cursor = page.nextCursor().orElse(null);
            pages++;
        } while (cursor != null);

        assertEquals(created, listed);
        assertEquals(3, pages);
        result(surface.sessions().close(tenant, created.get(1)));
        assertEquals(4, result(surface.sessions().list(tenant, null, 10)).sessions().size());
    }

    @Test
    void rejectsInvalidSessionArguments() {
        TenantId tenant = newTenant();
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i <= SessionStore.MAX_METADATA_ENTRIES; i++) {
            tooMany.put("k" + i, "v");
        }
        assertEquals("metadata", failure(InvalidArgumentException.class,
                surface.sessions().create(tenant, "alice", tooMany)).field().orElseThrow());
        assertEquals("ttl", failure(InvalidArgumentException.class,
                surface.sessions().create(tenant, "alice", Map.of(), Duration.ofDays(2))).field().orElseThrow());
        assertEquals("user", failure(InvalidArgumentException.class,
                surface.sessions().create(tenant, " ", Map.of())).field().orElseThrow());
        assertEquals("cursor", failure(InvalidArgumentException.class,
                surface.sessions().list(tenant, "0:x}", 10)).field().orElseThrow());
        assertEquals("limit", failure(InvalidArgumentException.class,
                surface.sessions().list(tenant, null, 0)).field().orElseThrow());
    }

    // ---- session state ----

    @Test
    void aNewSessionsStateIsAnEmptyObjectAtVersionZero() {
        TenantId tenant = newTenant();
        SessionId id = newSession(tenant).session().id();

        assertEquals(new StateDocument("{}", 0), result(surface.sessionState().read(tenant, id)));
    }

    @Test
    void writeWithTheExpectedVersionSucceedsAndAStaleVersionConflicts() {
        TenantId tenant = newTenant();
        SessionId id = newSession(tenant).session().id();

        assertEquals(new StateDocument("{\"n\":1}", 1), result(surface.sessionState().write(tenant, id, " {\"n\":1} ", 0)));
        assertEquals(new StateDocument("{\"n\":2}", 2), result(surface.sessionState().write(tenant, id, "{\"n\":2}", 1)));

        VersionConflictException conflict = failure(VersionConflictException.class,
                surface.sessionState().write(tenant, id, "{\"n\":3}", 1));
        assertEquals(1, conflict.expectedVersion());
        assertEquals(2, conflict.actualVersion());
        assertEquals(new StateDocument("{\"n\":2}", 2), result(surface.sessionState().read(tenant, id)));
    }

    @Test
    void rejectsInvalidJsonAndDocumentsOverTheSizeLimit() {
        TenantId tenant = newTenant();
        SessionId id = newSession(tenant).session().id();

        assertEquals("state", failure(InvalidArgumentException.class,
                surface.sessionState().write(tenant, id, "{\"a\":", 0)).field().orElseThrow());
        assertEquals("patch", failure(InvalidArgumentException.class,
                surface.sessionState().mergePatch(tenant, id, "{a:1}", OptionalLong.empty())).field().orElseThrow());
        TooLargeException tooLarge = failure(TooLargeException.class,
                surface.sessionState().write(tenant, id, "\"" + "x".repeat(5000) + "\"", 0));
        assertEquals(5002, tooLarge.size());
        assertEquals(4096, tooLarge.limit());

        String half = "\"" + "y".repeat(2500) + "\"";
        result(surface.sessionState().write(tenant, id, "{\"a\":" + half + "}", 0));
        TooLargeException merged = failure(TooLargeException.class,
                surface.sessionState().mergePatch(tenant, id, "{\"b\":" + half + "}", OptionalLong.empty()));
        assertTrue(merged.size() > 4096);
        assertEquals(1, result(surface.sessionState().read(tenant, id)).version());
    }

    @Test
    void mergePatchAppliesRfc7396Atomically() {
        TenantId tenant = newTenant();
        SessionId id = newSession(tenant).session().id();
        result(surface.sessionState().write(tenant, id,
                "{\"title\":\"Goodbye!\",\"author\":{\"givenName\":\"John\",\"familyName\":\"Doe\"},"
                        + "\"tags\":[\"example\",\"sample\"],\"content\":\"This will be unchanged\"}", 0));

        StateDocument patched = result(surface.sessionState().mergePatch(tenant, id,
                "{\"title\":\"Hello!\",\"phoneNumber\":\"+01-123-456-7890\",\"author\":{\"familyName\":null},"
                        + "\"tags\":[\"example\"]}", OptionalLong.of(1)));

        assertEquals(new StateDocument("{\"title\":\"Hello!\",\"author\":{\"givenName\":\"John\"},\"tags\":[\"example\"],"
                + "\"content\":\"This will be unchanged\",\"phoneNumber\":\"+01-123-456-7890\"}", 2), patched);
        assertEquals(patched, result(surface.sessionState().read(tenant, id)));
        VersionConflictException conflict = failure(VersionConflictException.class,
                surface.sessionState().mergePatch(tenant, id, "{\"x\":1}", OptionalLong.of(1)));
        assertEquals(2, conflict.actualVersion());
        assertEquals(new StateDocument("[1]", 3),
                result(surface.sessionState().mergePatch(tenant, id, "[1]", OptionalLong.empty())));
    }

    @Test
    void stateOfAMissingSessionIsNotFound() {
        TenantId tenant = newTenant();
        SessionId missing = SessionId.generate();

        failure(NotFoundException.class, surface.sessionState().read(tenant, missing));
        failure(NotFoundException.class, surface.sessionState().write(tenant, missing, "{}", 0));
        failure(NotFoundException.class, surface.sessionState().mergePatch(tenant, missing, "{}", OptionalLong.empty()));
    }

    // ---- leases ----

    @Test
    void aLeaseGoesToOneOwnerAtATimeWithGrowingFencingTokens() {
        ExecutionKey execution = new ExecutionKey(newTenant(), ExecutionId.generate());
        var executions = surface.executions();

        Lease first = result(executions.acquireLease(execution, "replica-a", LEASE_TTL)).orElseThrow();
        assertEquals(Optional.empty(), result(executions.acquireLease(execution, "replica-b", LEASE_TTL)));

        Lease again = result(executions.acquireLease(execution, "replica-a", LEASE_TTL)).orElseThrow();
        assertTrue(again.fencingToken() > first.fencingToken());
        assertTrue(result(executions.renewLease(again, LEASE_TTL)));
        assertFalse(result(executions.renewLease(first, LEASE_TTL)), "a superseded grant renewed");

        result(executions.releaseLease(first)); // stale: does nothing
        assertEquals(Optional.empty(), result(executions.acquireLease(execution, "replica-b", LEASE_TTL)));
        result(executions.releaseLease(again));
        Lease taken = result(executions.acquireLease(execution, "replica-b", LEASE_TTL)).orElseThrow();
        assertTrue(taken.fencingToken() > again.fencingToken());
        assertFalse(result(executions.renewLease(again, LEASE_TTL)));
    }

    @Test
    void anExpiredLeaseCanBeTakenByAnotherOwner() {
        ExecutionKey execution = new ExecutionKey(newTenant(), ExecutionId.generate());
        var executions = surface.executions();
        Lease expiring = result(executions.acquireLease(execution, "replica-a", Duration.ofMillis(200))).orElseThrow();

        Await.until("the lease expires", Await.LIMIT,
                () -> result(executions.acquireLease(execution, "replica-b", LEASE_TTL)).isPresent());

        assertFalse(result(executions.renewLease(expiring, LEASE_TTL)));
        ExecutionRecord record = record(execution, SessionId.generate(), 1, false);
        FencedException fenced = failure(FencedException.class, executions.write(record, List.of(), expiring));
        assertEquals(expiring.fencingToken(), fenced.staleToken());
    }

    // ---- replica ids ----

    @Test
    void aReplicaIdIsHeldByOneProcessInstanceAtATime() {
        var replicas = surface.replicas();
        String replica = "replica-" + Ids.random().substring(0, 8);
        assertTrue(result(replicas.claim(replica, "instance-a", LEASE_TTL)));
        assertFalse(result(replicas.claim(replica, "instance-b", LEASE_TTL)), "a second instance took a held id");
        assertTrue(result(replicas.claim(replica, "instance-a", LEASE_TTL)), "the holder could not extend its claim");
        result(replicas.release(replica, "instance-b")); // not the holder: does nothing
        assertFalse(result(replicas.claim(replica, "instance-b", LEASE_TTL)));
        result(replicas.release(replica, "instance-a"));
        assertTrue(result(replicas.claim(replica, "instance-b", LEASE_TTL)), "a released id was not free");
    }

    @Test
    void aReplicaIdWhoseHolderStoppedClaimingLapsesAfterItsTtl() {
        var replicas = surface.replicas();
        String replica = "replica-" + Ids.random().substring(0, 8);
        assertTrue(result(replicas.claim(replica, "killed", Duration.ofMillis(200))));
        Await.until("the killed instance's claim lapses", Await.LIMIT,
                () -> result(replicas.claim(replica, "restarted", LEASE_TTL)));
        assertFalse(result(replicas.claim(replica, "killed", LEASE_TTL)), "the old instance took its id back");
    }

    // ---- executions ----

    @Test
    void aFencedVersionedWriteStoresTheSnapshotAndAppendsEvents() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());
        var executions = surface.executions();
        Lease lease = result(executions.acquireLease(execution, "replica-a", LEASE_TTL)).orElseThrow();

        assertTrue(result(executions.write(record(execution, session, 1, false), events("started"), lease)));
        assertTrue(result(executions.write(record(execution, session, 2, false), events("step-1", "step-2"), lease)));
        assertFalse(result(executions.write(record(execution, session, 2, false), events("again"), lease)),
                "a replayed version applied twice");
        assertFalse(result(executions.write(record(execution, session, 1, false), events("older"), lease)));

        ExecutionRecord stored = result(executions.read(execution)).orElseThrow();
        assertEquals(2, stored.version());
        assertEquals(session, stored.session());
        assertArrayEquals("body-2".getBytes(StandardCharsets.UTF_8), stored.body());
        assertEquals(List.of("started", "step-1", "step-2"), strings(result(executions.events(execution, 0))));
        assertEquals(List.of("step-2"), strings(result(executions.events(execution, 2))));
        assertEquals(Optional.empty(), result(executions.read(new ExecutionKey(tenant, ExecutionId.generate()))));
    }

    @Test
    void aWriteWithAStaleFencingTokenIsRejected() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());
        var executions = surface.executions();
        Lease old = result(executions.acquireLease(execution, "replica-a", LEASE_TTL)).orElseThrow();
        assertTrue(result(executions.write(record(execution, session, 1, false), events("a"), old)));
        Lease current = result(executions.acquireLease(execution, "replica-a", LEASE_TTL)).orElseThrow();

        FencedException fenced = failure(FencedException.class,
                executions.write(record(execution, session, 2, false), events("b"), old));

        assertEquals(old.fencingToken(), fenced.staleToken());
        assertEquals(1, result(executions.read(execution)).orElseThrow().version());
        assertEquals(List.of("a"), strings(result(executions.events(execution, 0))));
        assertTrue(result(executions.write(record(execution, session, 2, false), events("b"), current)));
    }

    @Test
    void aWriteUnderALapsedOrReleasedLeaseIsFencedEvenIfNoOneTookItSince() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        var executions = surface.executions();
        ExecutionKey lapsing = new ExecutionKey(tenant, ExecutionId.generate());
        Lease brief = result(executions.acquireLease(lapsing, "replica-a", Duration.ofMillis(200))).orElseThrow();
        Await.until("the lease lapses", Await.LIMIT, () -> result(executions.leaseHolder(lapsing)).isEmpty());

        failure(FencedException.class, executions.write(record(lapsing, session, 1, false), events("a"), brief));
        assertFalse(result(executions.renewLease(brief, LEASE_TTL)), "a lapsed lease was renewed");

        ExecutionKey released = new ExecutionKey(tenant, ExecutionId.generate());
        Lease given = result(executions.acquireLease(released, "replica-a", LEASE_TTL)).orElseThrow();
        result(executions.releaseLease(given));
        failure(FencedException.class, executions.write(record(released, session, 1, false), events("a"), given));
        assertEquals(Optional.empty(), result(executions.read(released)));
        assertEquals(List.of(), result(executions.events(released, 0)));
    }

    @Test
    void aLongHistoryIsWrittenAndReadWhole() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());
        var executions = surface.executions();
        Lease lease = result(executions.acquireLease(execution, "replica-a", LEASE_TTL)).orElseThrow();
        String[] replayed = IntStream.range(0, 2_500).mapToObj(n -> "event-" + n).toArray(String[]::new);

        assertTrue(result(executions.write(record(execution, session, 1, false), events(replayed), lease)));
        assertTrue(result(executions.write(record(execution, session, 2, false), events("after"), lease)));

        List<String> history = strings(result(executions.events(execution, 0)));
        assertEquals(2_501, history.size());
        assertEquals(List.of(replayed), history.subList(0, 2_500));
        assertEquals("after", history.get(2_500));
        assertEquals(List.of("event-1999", "event-2000"), strings(result(executions.events(execution, 1_999))).subList(0, 2));
        assertEquals(List.of(), result(executions.events(execution, 2_501)));
    }

    @Test
    void theActiveIndexHoldsExecutionsUntilTheyAreTerminal() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());
        var executions = surface.executions();
        Lease lease = result(executions.acquireLease(execution, "replica-a", LEASE_TTL)).orElseThrow();

        result(executions.write(record(execution, session, 1, false), List.of(), lease));
        assertTrue(indexed(execution));
        assertFalse(walkActive().contains(execution), "a leased execution is not offered for adoption");
        result(executions.releaseLease(lease));
        assertTrue(walkActive().contains(execution), "an unleased running execution is offered for adoption");

        Lease again = result(executions.acquireLease(execution, "replica-a", LEASE_TTL)).orElseThrow();
        result(executions.write(record(execution, session, 2, true), List.of(), again));
        assertFalse(indexed(execution));
        assertTrue(result(executions.read(execution)).orElseThrow().terminal());
    }

    @Test
    void aWalkOverTheActiveIndexPassesAnyNumberOfStuckEntriesAndRemovesTheDeadOnes() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        var executions = surface.executions();
        String index = new KeyLayout(prefix).activeExecutions();
        // 10,000 entries whose record is gone, all older than anything else (the head of the index).
        Map<String, Double> gone = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            gone.put(tenant.value() + ":" + ExecutionId.generate().value(), 1.0 + i);
        }
        raw.commands().zadd(index, gone.entrySet().stream()
                .map(e -> io.lettuce.core.ScoredValue.just(e.getValue(), e.getKey())).toArray(io.lettuce.core.ScoredValue[]::new));
        ExecutionKey finished = new ExecutionKey(tenant, ExecutionId.generate());
        Lease finishedLease = result(executions.acquireLease(finished, "replica-a", LEASE_TTL)).orElseThrow();
        result(executions.write(record(finished, session, 1, true), List.of(), finishedLease));
        raw.commands().zadd(index, 0.5, member(finished)); // as if removing it had failed
        ExecutionKey beingWritten = new ExecutionKey(tenant, ExecutionId.generate());
        result(executions.acquireLease(beingWritten, "replica-a", LEASE_TTL)).orElseThrow();
        raw.commands().zadd(index, 0.5, member(beingWritten)); // indexed, its record not written yet
        ExecutionKey orphan = new ExecutionKey(tenant, ExecutionId.generate());
        Lease orphanLease = result(executions.acquireLease(orphan, "replica-b", LEASE_TTL)).orElseThrow();
        result(executions.write(record(orphan, session, 1, false), List.of(), orphanLease));
        result(executions.releaseLease(orphanLease)); // its owner is gone

        List<ExecutionKey> offered = walkActive();

        assertTrue(offered.contains(orphan), "the unleased execution behind the stuck entries is offered");
        assertFalse(offered.contains(beingWritten));
        assertTrue(indexed(beingWritten), "the entry of a record being written is kept");
        assertFalse(indexed(finished), "the entry of a finished execution is removed");
        assertEquals(0, gone.keySet().stream().filter(m -> raw.commands().zscore(index, m) != null).count(),
                "the entries of records that are gone are removed");
    }

    private List<ExecutionKey> walkActive() {
        List<ExecutionKey> unleased = new ArrayList<>();
        String cursor = ActivePage.START;
        do {
            ActivePage page = result(surface.executions().scanActive(cursor, 256));
            unleased.addAll(page.unleased());
            cursor = page.cursor();
        } while (!ActivePage.START.equals(cursor));
        return unleased;
    }

    private boolean indexed(ExecutionKey execution) {
        return raw.commands().zscore(new KeyLayout(prefix).activeExecutions(), member(execution)) != null;
    }

    private static String member(ExecutionKey execution) {
        return execution.tenant().value() + ":" + execution.execution().value();
    }

    @Test
    void aFinishedExecutionIsKeptForTheRetentionPeriodOnly() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());
        var executions = surface.executions();
        KeyLayout keys = new KeyLayout(prefix);
        String key = keys.executionRecord(execution); // with its events and fencing counter
        Lease lease = result(executions.acquireLease(execution, "replica-a", LEASE_TTL)).orElseThrow();

        result(executions.write(record(execution, session, 1, false), events("started"), lease));
        assertEquals(-1, raw.commands().pttl(key), "a running execution must not expire");

        result(executions.write(record(execution, session, 2, true), events("completed"), lease));
        long retention = surface.options().executionRetention().toMillis();
        long ttl = raw.commands().pttl(key);
        assertTrue(ttl > retention - 60_000 && ttl <= retention, "expires after the retention, was " + ttl);
        assertEquals(List.of("started", "completed"), strings(result(executions.events(execution, 0))));
    }

    @Test
    void anIdempotencyKeyBindsToTheFirstExecution() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        SessionId otherSession = newSession(tenant).session().id();
        ExecutionId first = ExecutionId.generate();
        var executions = surface.executions();
        Duration ttl = Duration.ofMinutes(1);

        assertEquals(first, result(executions.claimIdempotencyKey(tenant, session, "order-42", first, ttl)));
        assertEquals(first, result(executions.claimIdempotencyKey(tenant, session, "order-42", ExecutionId.generate(), ttl)));
        ExecutionId other = ExecutionId.generate();
        assertEquals(other, result(executions.claimIdempotencyKey(tenant, otherSession, "order-42", other, ttl)));
        assertEquals("idempotencyKey", failure(InvalidArgumentException.class,
                executions.claimIdempotencyKey(tenant, session, "has space", first, ttl)).field().orElseThrow());
    }

    // ---- the admin index ----

    @Test
    void theAdminIndexListsExecutionsNewestChangeFirstFilteredAndPaged() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        SessionId otherSession = newSession(tenant).session().id();
        List<ExecutionKey> written = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());
            String state = i % 2 == 0 ? "RUNNING" : "FAILED";
            write(execution, i < 5 ? session : otherSession, 1, state, i % 2 == 1, i < 4 ? "order" : "refund",
                    i == 6 ? 2 : 1, i == 3 ? "replica-b" : "replica-a", 1_000 + i);
            written.add(execution);
        }
        ExecutionIndex index = surface.executionIndex();

        assertEquals(List.of(6, 5, 4, 3, 2, 1, 0), positions(written, list(index, query(tenant, null, null, null, null, null))));
        assertEquals(List.of(5, 3, 1), positions(written, list(index, query(tenant, "FAILED", null, null, null, null))));
        assertEquals(List.of(3, 1), positions(written, list(index, query(tenant, "FAILED", null, "order", null, null))));
        assertEquals(List.of(6), positions(written, list(index, query(tenant, null, null, "refund", 2, null))));
        assertEquals(List.of(6, 5), positions(written, list(index, query(tenant, null, otherSession, null, null, null))));
        assertEquals(List.of(3), positions(written, list(index, query(tenant, null, null, null, null, "replica-b"))));
        assertEquals(List.of(4, 3), positions(written, list(index, new ExecutionIndex.ExecutionQuery(null, tenant, null,
                null, null, null, 1_004L, 1_002L, 3, null))));
        ExecutionIndex.ExecutionSummary first = result(index.page(query(tenant, null, null, null, null, null))).items().get(0);
        assertEquals(new ExecutionIndex.ExecutionSummary(tenant, written.get(6).execution(), otherSession, "refund", 2,
                "RUNNING", false, "replica-a", 500, 1_006), first);

        // A later change moves an execution to the top and to its new state's set.
        write(written.get(0), session, 2, "COMPLETED", true, "order", 1, "replica-a", 2_000);
        assertEquals(List.of(0, 6, 5, 4, 3, 2, 1), positions(written, list(index, query(tenant, null, null, null, null, null))));
        assertEquals(List.of(6, 4, 2), positions(written, list(index, query(tenant, "RUNNING", null, null, null, null))));
        // An older version (a replayed or retried write) does not move it back.
        write(written.get(0), session, 1, "RUNNING", false, "order", 1, "replica-a", 1_000);
        assertEquals(List.of(0), positions(written, list(index, query(tenant, "COMPLETED", null, null, null, null))));
        assertEquals("cursor", failure(InvalidArgumentException.class,
                index.page(new ExecutionIndex.ExecutionQuery(null, tenant, null, null, null, null, null, null, 5, "x")))
                .field().orElseThrow());
    }

    @Test
    void countsByStateFollowTheRecords() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        ExecutionIndex index = surface.executionIndex();
        Map<String, Long> before = result(index.countByState(List.of("RUNNING", "FAILED", "RESOLVED")));
        ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());

        write(execution, session, 1, "RUNNING", false, "order", 1, "replica-a", 1_000);
        assertEquals(before.get("RUNNING") + 1, result(index.countByState(List.of("RUNNING"))).get("RUNNING"));
        write(execution, session, 2, "FAILED", true, "order", 1, "replica-a", 1_001);
        Map<String, Long> after = result(index.countByState(List.of("RUNNING", "FAILED", "RESOLVED")));
        assertEquals(before.get("RUNNING"), after.get("RUNNING"));
        assertEquals(before.get("FAILED") + 1, after.get("FAILED"));
        assertEquals(before.get("RESOLVED"), after.get("RESOLVED"));
    }

    @Test
    void aRetriedFailedExecutionRunsAgainWithoutExpiryAndItsIndexEntryIsTrimmedWithTheRecord() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());
        KeyLayout keys = new KeyLayout(prefix);
        write(execution, session, 1, "FAILED", true, "order", 1, "replica-a", 1_000);
        assertTrue(raw.commands().pttl(keys.executionRecord(execution)) > 0);

        write(execution, session, 2, "COMPENSATING", false, "order", 1, "replica-b", 1_001);
        assertEquals(-1, raw.commands().pttl(keys.executionRecord(execution)), "a re-opened execution must not expire");
        assertEquals(null, raw.commands().zscore(keys.indexExpiry(), member(execution)));

        write(execution, session, 3, "COMPENSATED", true, "order", 1, "replica-b", 1_002);
        assertTrue(raw.commands().zscore(keys.indexExpiry(), member(execution)) > 0);
        raw.commands().zadd(keys.indexExpiry(), 1.0, member(execution)); // as if the retention had passed
        assertEquals(List.of(), list(surface.executionIndex(), query(tenant, null, null, null, null, null)));
        assertEquals(null, raw.commands().zscore(keys.indexAll(), member(execution)));
        assertEquals(null, raw.commands().zscore(keys.indexByState("COMPENSATED"), member(execution)));
        assertEquals(null, raw.commands().zscore(keys.indexBySession(tenant, session), member(execution)));
        assertEquals(null, raw.commands().hget(keys.indexEntries(), member(execution)));
    }

    @Test
    void aReplayedWriteRebuildsAnIndexEntryRedisLost() {
        TenantId tenant = newTenant();
        SessionId session = newSession(tenant).session().id();
        ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());
        KeyLayout keys = new KeyLayout(prefix);
        write(execution, session, 4, "FAILED", true, "order", 1, "replica-a", 1_000);
        raw.commands().hdel(keys.indexEntries(), member(execution));
        raw.commands().zrem(keys.indexByTenant(tenant), member(execution));
        assertEquals(List.of(), list(surface.executionIndex(), query(tenant, null, null, null, null, null)));

        // What journal replay and restoreStore do: write the same version again (stale, so the record is unchanged).
        write(execution, session, 4, "FAILED", true, "order", 1, "replica-a", 1_000);

        assertEquals(List.of(execution.execution()), list(surface.executionIndex(),
                query(tenant, "FAILED", null, null, null, null)).stream().map(ExecutionIndex.ExecutionSummary::execution)
                .toList());
    }

    @Test
    void aCancelIsHandedToTheLeaseHolder() {
        TenantId tenant = newTenant();
        ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());
        var executions = surface.executions();
        assertEquals(Optional.empty(), result(executions.leaseHolder(execution)));
        result(executions.acquireLease(execution, "replica-a", LEASE_TTL)).orElseThrow();
        assertEquals(Optional.of("replica-a"), result(executions.leaseHolder(execution)));

        result(executions.requestCancel("replica-a", execution, "first"));
        result(executions.requestCancel("replica-a", execution, "again"));

        assertEquals(Map.of(), result(executions.takeCancelRequests("replica-b")));
        assertEquals(Map.of(execution, "again"), result(executions.takeCancelRequests("replica-a")));
        assertEquals(Map.of(), result(executions.takeCancelRequests("replica-a")));
    }

    private void write(ExecutionKey execution, SessionId session, long version, String state, boolean terminal,
                       String type, int typeVersion, String owner, long updatedAt) {
        var executions = surface.executions();
        Lease lease = result(executions.acquireLease(execution, owner, LEASE_TTL)).orElseThrow();
        result(executions.write(new ExecutionRecord(execution.tenant(), session, execution.execution(), version, state,
                terminal, new ExecutionLabels(type, typeVersion, owner, 500, updatedAt),
                ("body-" + version).getBytes(StandardCharsets.UTF_8)), events("v" + version), lease));
        result(executions.releaseLease(lease));
    }

    private static ExecutionIndex.ExecutionQuery query(TenantId tenant, String state, SessionId session, String type,
                                                       Integer version, String owner) {
        return new ExecutionIndex.ExecutionQuery(state, tenant, session, type, version, owner, null, null, 3, null);
    }

    /** Every page of a query, following the cursor. */
    private static List<ExecutionIndex.ExecutionSummary> list(ExecutionIndex index, ExecutionIndex.ExecutionQuery query) {
        List<ExecutionIndex.ExecutionSummary> all = new ArrayList<>();
        String cursor = null;
        do {
            ExecutionIndex.ExecutionPage page = result(index.page(new ExecutionIndex.ExecutionQuery(query.state(),
                    query.tenant(), query.session(), query.type(), query.typeVersion(), query.owner(),
                    query.updatedAtMost(), query.updatedAfter(), query.limit(), cursor)));
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    private static List<Integer> positions(List<ExecutionKey> written, List<ExecutionIndex.ExecutionSummary> listed) {
        return listed.stream().map(item -> written.indexOf(new ExecutionKey(item.tenant(), item.execution()))).toList();
    }

    protected static ExecutionRecord record(ExecutionKey execution, SessionId session, long version, boolean terminal) {
        return new ExecutionRecord(execution.tenant(), session, execution.execution(), version,
                terminal ? "COMPLETED" : "RUNNING", terminal, new ExecutionLabels("order", 1, "replica-a", 500, 1_000 + version),
                ("body-" + version).getBytes(StandardCharsets.UTF_8));
    }

    protected static List<byte[]> events(String... names) {
        return Arrays.stream(names).map(name -> name.getBytes(StandardCharsets.UTF_8)).toList();
    }

    protected static List<String> strings(List<byte[]> values) {
        return values.stream().map(value -> new String(value, StandardCharsets.UTF_8)).toList();
    }
}
