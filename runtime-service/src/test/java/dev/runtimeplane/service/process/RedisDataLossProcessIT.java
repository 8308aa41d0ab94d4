package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The WAL is the source of truth for sessions: the service is killed with SIGKILL right after its
 * session writes were acknowledged, its Redis (no persistence) restarts empty, and the restarted
 * service gives Redis back every acknowledged session, token and state version, without reviving
 * the session that was closed.
 */
class RedisDataLossProcessIT {

    @Test
    void acknowledgedSessionWritesSurviveACrashAndARedisThatLostEverything() throws Exception {
        try (RedisServer redis = RedisTestKit.startServer("--save", "", "--appendonly", "no")) {
            ServiceProcess first = ServiceProcess.start(Map.of("REDIS_URI", redis.uri())).awaitReady(Duration.ofSeconds(60));
            ApiClient api = first.api();
            TestSession kept = api.openSession("acme");
            TestSession closed = api.openSession("acme");
            String state = "/v1/sessions/" + kept.id() + "/state";
            expect(200, api.send("PUT", state, "{\"cart\":[1]}", ApiClient.with(kept.auth(), "If-Match", "\"0\"")));
            expect(200, api.send("PUT", state, "{\"cart\":[1,2]}", ApiClient.with(kept.auth(), "If-Match", "\"1\"")));
            expect(200, api.send("PATCH", state, "{\"step\":\"pay\"}", kept.auth()));
            expect(200, api.send("POST", "/v1/sessions/" + kept.id() + "/touch", "", kept.auth()));
            expect(204, api.send("DELETE", "/v1/sessions/" + closed.id(), "", closed.auth()));

            first.process().destroyForcibly().waitFor();
            redis.stop();
            redis.start();
            assertEquals("0", redis.command("DBSIZE"), "Redis came back empty");

            try (ServiceProcess second = first.restart().awaitReady(Duration.ofSeconds(60))) {
                HttpResponse<String> document = second.api().get(state, kept.auth());
                expect(200, document);
                assertEquals(Map.of("cart", List.of(1, 2), "step", "pay"), ApiClient.map(document.body()));
                assertEquals("\"3\"", document.headers().firstValue("ETag").orElseThrow());
                expect(200, second.api().get("/v1/sessions/" + kept.id(), kept.auth()));
                expect(404, second.api().get("/v1/sessions/" + closed.id(), closed.auth()));
                assertTrue(second.log().contains("session journal replayed"), "the replay is logged");
            } finally {
                first.close();
            }
        }
    }

    private static void expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
    }
}
