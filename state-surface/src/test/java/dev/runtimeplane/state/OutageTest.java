package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ActivePage;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outages of a real Redis owned by the test: stopped (connection refused), frozen with SIGSTOP
 * (connection open, no answers), and down before the surface starts. Calls fail fast with
 * UnavailableException, health turns DOWN within 2 s, and everything recovers by itself.
 */
class OutageTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** Allowance for a loaded machine on top of the command timeout. */

    private RedisServer server;
    private StateSurface surface;
    private final TenantId tenant = TenantId.of("outage");

    @BeforeEach
    void startRedis() {
        server = RedisTestKit.startServer();
        surface = new StateSurface(StateSurfaceOptions.builder()
                .redisUri(server.uri())
                .commandTimeout(COMMAND_TIMEOUT)
                .healthInterval(Duration.ofMillis(250))
                .healthTimeout(Duration.ofMillis(500))
                .reconnectDelayMax(Duration.ofMillis(500))
                .build());
    }

    @AfterEach
    void stopRedis() {
        surface.close();
        server.close();
    }

    @Test
    void aStoppedRedisFailsCallsFastTurnsHealthDownAndRecoversByItself() {
        surface.start();
        Await.healthUp(surface);
        SessionId before = result(surface.sessions().create(tenant, "alice", Map.of())).session().id();

        server.stop();

        HealthSnapshot down = awaitDown();
        assertFalse(down.reason().isEmpty());
        assertTrue(down.live(), "a Redis outage must not make the surface look dead");
        assertAllCallsFailFast(before);

        server.start();

        Await.healthUp(surface);
        SessionId after = result(surface.sessions().create(tenant, "alice", Map.of())).session().id();
        assertEquals(0, result(surface.sessionState().read(tenant, after)).version());
    }

    @Test
    void aFrozenRedisTimesCallsOutAndRecoversWhenItResumes() throws Exception {
        surface.start();
        Await.healthUp(surface);
        SessionId session = result(surface.sessions().create(tenant, "alice", Map.of())).session().id();
        long pid = server.pid();

        signal("STOP", pid);
        try {
            HealthSnapshot down = awaitDown();
            assertTrue(down.reason().contains("PING"), down.reason());
            assertAllCallsFailFast(session);
        } finally {
            signal("CONT", pid);
        }

        Await.healthUp(surface);
        assertEquals(session, result(surface.sessions().get(tenant, session)).id());
    }

    @Test
    void startsWhileRedisIsDownAndBecomesReadyWhenItAppears() {
        server.stop();

        surface.start();

        HealthSnapshot down = awaitDown();
        Await.until(() -> "a reason naming the connection (" + surface.health().reason() + ")", Await.LIMIT,
                () -> surface.health().reason().contains("connect"));
        assertFalse(down.ready());
        assertFailsFast(() -> surface.sessions().create(tenant, "alice", Map.of()));

        server.start();

        Await.healthUp(surface);
        SessionId id = result(surface.sessions().create(tenant, "alice", Map.of())).session().id();
        assertEquals(id, result(surface.sessions().get(tenant, id)).id());
    }

    /** Health turns DOWN while Redis is still down (how fast is the benchmarks' business, not a test's). */
    private HealthSnapshot awaitDown() {
        return Await.health(surface, HealthStatus.DOWN, Await.LIMIT);
    }

    private void assertAllCallsFailFast(SessionId session) {
        ExecutionKey execution = new ExecutionKey(tenant, ExecutionId.generate());
        List<Supplier<CompletableFuture<?>>> calls = List.of(
                () -> surface.sessions().get(tenant, session),
                () -> surface.sessions().create(tenant, "bob", Map.of()),
                () -> surface.sessionState().read(tenant, session),
                () -> surface.sessionState().write(tenant, session, "{}", 0),
                () -> surface.executions().acquireLease(execution, "replica-a", Duration.ofSeconds(10)),
                () -> surface.executions().scanActive(ActivePage.START, 10));
        calls.forEach(OutageTest::assertFailsFast);
    }

    /**
     * The call fails with UnavailableException while Redis is still down: a client that buffered commands
     * while disconnected would instead hang until Redis came back (and then succeed), which fails here.
     */
    private static void assertFailsFast(Supplier<CompletableFuture<?>> call) {
        Await.failure(UnavailableException.class, call.get());
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }
}
