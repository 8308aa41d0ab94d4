package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.failure;
import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.testkit.RedisTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Redis expires sessions, their state, and idempotency bindings by their TTLs. */
class TtlExpiryTest {

    private static StateSurface surface;
    private static RawRedis raw;
    private static KeyLayout keys;

    @BeforeAll
    static void openSurface() {
        String prefix = "test-" + Ids.random().substring(0, 12);
        surface = new StateSurface(StateSurfaceOptions.builder()
                .redisUri(RedisTestKit.shared().uri())
                .keyPrefix(prefix)
                .build());
        surface.start();
        Await.healthUp(surface);
        raw = new RawRedis(RedisTestKit.shared().uri());
        keys = new KeyLayout(prefix);
    }

    @AfterAll
    static void closeSurface() {
        raw.close();
        surface.close();
    }

    @Test
    void anUntouchedSessionExpiresWithItsStateTokenAndIndexEntry() {
        TenantId tenant = TenantId.of("ttl-" + Ids.random().substring(0, 8));
        CreatedSession created = result(surface.sessions().create(tenant, "alice", Map.of(), Duration.ofMillis(800)));
        SessionId id = created.session().id();
        result(surface.sessionState().write(tenant, id, "{\"kept\":false}", 0));
        assertTrue(raw.commands().pttl(keys.sessionState(tenant, id)) > 0, "a write dropped the state's TTL");

        Await.until("the session expires", Await.LIMIT, () -> surface.sessions().get(tenant, id)
                .handle((session, error) -> error != null).join());

        failure(NotFoundException.class, surface.sessions().get(tenant, id));
        failure(NotFoundException.class, surface.sessionState().read(tenant, id));
        assertEquals(Optional.empty(), result(surface.sessions().resolveToken(created.bearerToken())));
        assertEquals(List.of(), result(surface.sessions().list(tenant, null, 10)).sessions());
        assertEquals(0, raw.commands().zcard(keys.tenantSessions(tenant)), "list left the expired entry in the index");
    }

    @Test
    void touchingKeepsASessionAlivePastItsTtl() {
        TenantId tenant = TenantId.of("ttl-" + Ids.random().substring(0, 8));
        Duration ttl = Duration.ofSeconds(2);
        SessionId id = result(surface.sessions().create(tenant, "alice", Map.of(), ttl)).session().id();

        for (int i = 0; i < 6; i++) { // 3 s in all, longer than the TTL
            Await.sleep(Duration.ofMillis(500));
            result(surface.sessions().touch(tenant, id));
        }

        assertEquals(id, result(surface.sessions().get(tenant, id)).id());
        assertEquals(0, result(surface.sessionState().read(tenant, id)).version());
        assertEquals(1, result(surface.sessions().list(tenant, null, 10)).sessions().size());
    }

    @Test
    void anIdempotencyBindingLastsItsTtl() {
        TenantId tenant = TenantId.of("ttl-" + Ids.random().substring(0, 8));
        SessionId session = SessionId.generate();
        ExecutionId first = ExecutionId.generate();
        ExecutionId later = ExecutionId.generate();
        var executions = surface.executions();

        assertEquals(first, result(executions.claimIdempotencyKey(tenant, session, "k", first, Duration.ofMillis(300))));

        Await.until("the binding expires", Await.LIMIT, () ->
                later.equals(executions.claimIdempotencyKey(tenant, session, "k", later, Duration.ofMinutes(1)).join()));
    }
}
