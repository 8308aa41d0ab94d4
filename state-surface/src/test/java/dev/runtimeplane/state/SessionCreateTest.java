package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.failure;
import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.TenantLimitException;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.testkit.RedisTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session creates across two replicas of one Redis: a tenant's open sessions counted against its limit
 * exactly, and creates under an Idempotency-Key that a retry (on either replica) answers with the same
 * session and the same working token.
 */
class SessionCreateTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final byte[] SECRET = "a shared secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private final String prefix = "create-" + Ids.random().substring(0, 10);
    private final TenantId tenant = TenantId.of("acme-" + Ids.random().substring(0, 6));

    @Test
    void aTenantOpensAtMostItsLimitOfSessionsAcrossReplicas() {
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options().maxSessionsPerTenant(3).build());
             JournaledReplica b = JournaledReplica.start(dir.resolve("b"), options().maxSessionsPerTenant(3).build())) {
            List<CompletableFuture<CreatedSession>> creates = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                creates.add((i % 2 == 0 ? a : b).sessions().create(tenant, "u" + i, Map.of()));
            }
            List<CreatedSession> opened = new ArrayList<>();
            for (CompletableFuture<CreatedSession> create : creates) {
                Object outcome = result(create.handle((session, error) ->
                        error instanceof CompletionException wrapped ? wrapped.getCause() : error == null ? session : error));
                if (outcome instanceof CreatedSession session) {
                    opened.add(session);
                } else {
                    assertEquals("sessions-open", assertInstanceOf(TenantLimitException.class, outcome).limit());
                }
            }
            assertEquals(3, opened.size());
            result(a.sessions().create(TenantId.of("other-" + tenant.value()), "u", Map.of())); // others are not limited

            result(b.sessions().close(tenant, opened.getFirst().session().id()));
            result(a.sessions().create(tenant, "after-close", Map.of()));
        }
    }

    @Test
    void aRetryWithTheSameKeyOnAnotherReplicaGetsTheSameSessionAndAWorkingToken() {
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options().build());
             JournaledReplica b = JournaledReplica.start(dir.resolve("b"), options().build())) {
            CreatedSession first = result(a.sessions().create(tenant, "ada", Map.of("app", "cli"), TTL, "key-1"));
            CreatedSession retry = result(b.sessions().create(tenant, "ada", Map.of("app", "cli"), TTL, "key-1"));

            assertEquals(first.session(), retry.session());
            assertEquals(first.bearerToken(), retry.bearerToken());
            assertEquals(first.session(), result(b.sessions().resolveToken(retry.bearerToken())).orElseThrow());

            CreatedSession otherTenant = result(a.sessions().create(TenantId.of("other-" + tenant.value()), "ada",
                    Map.of("app", "cli"), TTL, "key-1"));
            assertNotEquals(first.session().id(), otherTenant.session().id(), "keys are per tenant");
        }
    }

    @Test
    void theSameKeyForAnotherRequestIsRefused() {
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options().build())) {
            result(a.sessions().create(tenant, "ada", Map.of("app", "cli"), TTL, "key-2"));
            for (CompletableFuture<CreatedSession> other : List.of(
                    a.sessions().create(tenant, "bob", Map.of("app", "cli"), TTL, "key-2"),
                    a.sessions().create(tenant, "ada", Map.of("app", "web"), TTL, "key-2"),
                    a.sessions().create(tenant, "ada", Map.of("app", "cli"), TTL.plusSeconds(1), "key-2"))) {
                assertEquals(ErrorCode.IDEMPOTENCY_KEY_REUSED, failure(RuntimePlaneException.class, other).code());
            }
        }
    }

    @Test
    void aRetryWhileTheFirstCreateIsStillJournalingMakesOneSession() {
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options().build());
             JournaledReplica b = JournaledReplica.start(dir.resolve("b"), options().build())) {
            a.held().hold(SessionRecords.SESSION);
            CompletableFuture<CreatedSession> first = a.sessions().create(tenant, "ada", Map.of(), TTL, "key-3");
            Await.until("the first create waits for its journal", Await.LIMIT, () -> a.held().waiting() == 1);

            CreatedSession retry = result(b.sessions().create(tenant, "ada", Map.of(), TTL, "key-3"));
            a.held().release();

            assertEquals(retry.session(), result(first).session());
            assertEquals(retry.bearerToken(), result(first).bearerToken());
            assertEquals(1, result(a.sessions().list(tenant, null, 10)).sessions().size());
        }
    }

    @Test
    void aKeyWhoseSessionWasClosedOrWhoseTokenCannotBeDerivedAnswersConflict() {
        byte[] otherSecret = "another secret, also thirty-two bytes or more".getBytes(StandardCharsets.UTF_8);
        try (JournaledReplica a = JournaledReplica.start(dir.resolve("a"), options().build());
             JournaledReplica stranger = JournaledReplica.start(dir.resolve("b"),
                     options().sessionTokenSecret(otherSecret).build())) {
            CreatedSession created = result(a.sessions().create(tenant, "ada", Map.of(), TTL, "key-4"));
            assertEquals(ErrorCode.CONFLICT, failure(RuntimePlaneException.class,
                    stranger.sessions().create(tenant, "ada", Map.of(), TTL, "key-4")).code());

            result(a.sessions().close(tenant, created.session().id()));
            RuntimePlaneException closed = failure(RuntimePlaneException.class,
                    a.sessions().create(tenant, "ada", Map.of(), TTL, "key-4"));
            assertEquals(ErrorCode.CONFLICT, closed.code());
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        }
    }

    private StateSurfaceOptions.Builder options() {
        return StateSurfaceOptions.builder().redisUri(RedisTestKit.shared().uri()).keyPrefix(prefix)
                .sessionTokenSecret(SECRET);
    }
}
