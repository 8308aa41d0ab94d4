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
 * The service starts while its Redis is down (live, not ready, then ready by itself when Redis comes).
 * Then, running, while its Redis is stopped and started again: readiness 503 naming the reason,
 * liveness 200, the API 503 with Retry-After (never 500), then ready again by itself with nothing
 * acknowledged lost. The Redis keeps an append-only file, as the deployment's does, so its data
 * survives its own restart.
 */
class RedisOutageProcessIT {

    @Test
    void anOutageIsReportedHonestlyAndHealsByItself() throws Exception {
        try (RedisServer redis = RedisTestKit.startServer("--appendonly", "yes", "--appendfsync", "always")) {
            redis.stop();
            try (ServiceProcess service = ServiceProcess.start(Map.of("REDIS_URI", redis.uri()))) {
                startsWithoutRedisAndHealsWhenItAppears(redis, service);
                anOutageWhileRunning(redis, service);
            }
        }
    }

    /** The service starts while its Redis is down: live, not ready (saying why), and ready once Redis is up. */
    private static void startsWithoutRedisAndHealsWhenItAppears(RedisServer redis, ServiceProcess service) throws Exception {
        awaitStatus(service, "/health/live", 200, Duration.ofSeconds(60));
        awaitStatus(service, "/health/ready", 503, Duration.ofSeconds(5));
        assertReadinessBlames(service, "stateSurface");
        redis.start();
        service.awaitReady(Duration.ofSeconds(15));
    }

    private static void anOutageWhileRunning(RedisServer redis, ServiceProcess service) throws Exception {
        ApiClient api = service.api();
        TestSession session = api.openSession("acme");
        String state = "/v1/sessions/" + session.id() + "/state";
        assertEquals(200, api.send("PUT", state, "{\"step\":1}", ApiClient.with(session.auth(), "If-Match", "\"0\"")).statusCode());
        String before = submit(api, session, "before-outage");

        redis.stop();
        awaitStatus(service, "/health/ready", 503, Duration.ofSeconds(5));
        assertReadinessBlames(service, "stateSurface");
        assertEquals(200, ServiceProcess.status(service.management("/health/live"), Duration.ofSeconds(1)),
                "a Redis outage must not get the replica restarted");

        for (HttpResponse<String> during : List.of(
                api.get(state, session.auth()),
                api.send("POST", "/v1/sessions/" + session.id() + "/intents", "{\"type\":\"trip-booking\"}",
                        ApiClient.with(session.auth(), "Idempotency-Key", "during-outage")),
                api.send("POST", "/v1/sessions", "{\"tenant\":\"acme\",\"user\":\"bob\"}", Map.of()))) {
            assertEquals(503, during.statusCode(), during.body());
            assertTrue(during.headers().firstValue("Retry-After").isPresent(), "Retry-After on " + during.body());
            assertEquals("https://runtimeplane.dev/problems/unavailable", ApiClient.map(during.body()).get("type"));
        }

        redis.start();
        awaitStatus(service, "/health/ready", 200, Duration.ofSeconds(15));
        HttpResponse<String> document = api.get(state, session.auth());
        assertEquals(200, document.statusCode(), document.body());
        assertEquals(Map.of("step", 1), ApiClient.map(document.body()), "the acknowledged state write survived");
        String after = submit(api, session, "after-outage");
        Map<String, String> states = Executions.awaitTerminal(api, session.id(), session.auth(), List.of(before, after),
                Duration.ofSeconds(30));
        assertEquals(Map.of(before, "COMPLETED", after, "COMPLETED"), states);
    }

    private static void assertReadinessBlames(ServiceProcess service, String component) {
        String readiness = new ApiClient("http://127.0.0.1:" + service.managementPort()).get("/health/ready", Map.of()).body();
        assertTrue(readiness.contains(component), "readiness names the reason: " + readiness);
    }

    private static String submit(ApiClient api, TestSession session, String key) {
        HttpResponse<String> accepted = api.send("POST", "/v1/sessions/" + session.id() + "/intents",
                "{\"type\":\"trip-booking\"}", ApiClient.with(session.auth(), "Idempotency-Key", key));
        assertEquals(202, accepted.statusCode(), accepted.body());
        return (String) ApiClient.map(accepted.body()).get("executionId");
    }

    private static void awaitStatus(ServiceProcess service, String path, int expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int status;
        do {
            status = ServiceProcess.status(service.management(path), Duration.ofSeconds(1));
            if (status == expected) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " answered " + status + ", not " + expected + ", within " + timeout);
    }
}
