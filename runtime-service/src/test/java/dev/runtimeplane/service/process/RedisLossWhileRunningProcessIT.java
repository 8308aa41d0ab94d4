package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Two replicas on one Redis without persistence; Redis restarts empty while both run. Without a restart
 * of either, each notices the loss and gives Redis back what its WAL holds: live sessions with their token
 * and state version, running and finished executions. A session closed through the other replica stays
 * closed, also when the replica that created it is then killed and restarted. Versions go on from the
 * last durable one: an ETag never names two documents.
 */
class RedisLossWhileRunningProcessIT {

    @Test
    void replicasRebuildRedisWithoutARestartAndClosedSessionsStayClosed() throws Exception {
        try (RedisServer redis = RedisTestKit.startServer("--save", "", "--appendonly", "no")) {
            Map<String, String> environment = Map.of("REDIS_URI", redis.uri());
            ServiceProcess a = ServiceProcess.start(environment);
            ServiceProcess b = ServiceProcess.start(environment);
            try {
                a.awaitReady(Duration.ofSeconds(60));
                b.awaitReady(Duration.ofSeconds(60));
                ApiClient viaA = a.api();
                ApiClient viaB = b.api();

                TestSession kept = viaA.openSession("acme");
                String state = "/v1/sessions/" + kept.id() + "/state";
                expect(200, viaA.send("PUT", state, "{\"cart\":[1]}", ApiClient.with(kept.auth(), "If-Match", "\"0\"")));
                TestSession closedElsewhere = viaA.openSession("acme");
                expect(204, viaB.send("DELETE", "/v1/sessions/" + closedElsewhere.id(), "", closedElsewhere.auth()));
                HttpResponse<String> submitted = viaA.send("POST", "/v1/sessions/" + kept.id() + "/intents",
                        "{\"type\":\"trip-booking\"}", ApiClient.with(kept.auth(), "Idempotency-Key", "before-loss"));
                expect(202, submitted);
                String execution = (String) ApiClient.map(submitted.body()).get("executionId");
                assertEquals(Map.of(execution, "COMPLETED"), Executions.awaitTerminal(viaA, kept.id(), kept.auth(),
                        List.of(execution), Duration.ofSeconds(60)));

                redis.stop();
                redis.start();
                assertEquals("0", redis.command("DBSIZE"), "Redis came back empty");

                // No restart: each replica notices the loss (readiness 503 while it rebuilds) and heals.
                for (ApiClient api : List.of(viaA, viaB)) {
                    HttpResponse<String> document = awaitStatus(api, state, kept.auth(), 200);
                    assertEquals(Map.of("cart", List.of(1)), ApiClient.map(document.body()));
                    assertEquals("\"1\"", document.headers().firstValue("ETag").orElseThrow());
                    expect(404, api.get("/v1/sessions/" + closedElsewhere.id(), closedElsewhere.auth()));
                    HttpResponse<String> status = awaitStatus(api,
                            "/v1/sessions/" + kept.id() + "/executions/" + execution, kept.auth(), 200);
                    assertEquals("COMPLETED", ApiClient.map(status.body()).get("state"), status.body());
                }
                a.awaitReady(Duration.ofSeconds(60));
                b.awaitReady(Duration.ofSeconds(60));

                // The replica that created the closed session dies and restarts: the close still holds.
                a.process().destroyForcibly().waitFor();
                a = a.restart().awaitReady(Duration.ofSeconds(60));
                expect(404, a.api().get("/v1/sessions/" + closedElsewhere.id(), closedElsewhere.auth()));
                expect(404, viaB.get("/v1/sessions/" + closedElsewhere.id(), closedElsewhere.auth()));

                // The next version is 2, never a second version 1.
                HttpResponse<String> next = a.api().send("PUT", state, "{\"cart\":[1,2]}",
                        ApiClient.with(kept.auth(), "If-Match", "\"1\""));
                expect(200, next);
                assertEquals("\"2\"", next.headers().firstValue("ETag").orElseThrow());
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /** Polls until {@code path} answers {@code status} (503 and 404 are expected while the replica rebuilds). */
    private static HttpResponse<String> awaitStatus(ApiClient api, String path, Map<String, String> auth, int status)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = api.get(path, auth);
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not answer " + status + "; last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    private static void expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
    }
}
