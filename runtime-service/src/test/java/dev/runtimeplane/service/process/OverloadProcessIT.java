package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.testkit.RedisTestKit;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A replica holds at most {@code runtime.saga.max-executions}: a flood of intents beyond it answers 503
 * with Retry-After and the {@code overloaded} problem type, and everything accepted finishes.
 */
class OverloadProcessIT {

    private static final int LIMIT = 3;
    private static final int FLOOD = 24;

    @Test
    void aSubmitFloodBeyondTheLimitIsRefusedWith503AndEverythingAcceptedFinishes() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("REDIS_URI", RedisTestKit.shared().uri(),
                "RUNTIME_REDIS_KEY_PREFIX", "overload-" + System.nanoTime(),
                "RUNTIME_SAGA_MAX_EXECUTIONS", String.valueOf(LIMIT)))) {
            service.awaitReady(Duration.ofSeconds(60));
            ApiClient api = service.api();
            TestSession session = api.openSession("acme");
            List<HttpResponse<String>> answers = new ArrayList<>();
            try (ExecutorService clients = Executors.newFixedThreadPool(FLOOD)) {
                List<Future<HttpResponse<String>>> submitted = new ArrayList<>();
                for (int i = 0; i < FLOOD; i++) {
                    submitted.add(clients.submit(() -> api.send("POST", "/v1/sessions/" + session.id() + "/intents",
                            "{\"type\":\"cpu-work\",\"payload\":{\"millis\":3000}}", session.auth())));
                }
                for (Future<HttpResponse<String>> answer : submitted) {
                    answers.add(answer.get());
                }
            }
            List<String> accepted = new ArrayList<>();
            int overloaded = 0;
            for (HttpResponse<String> answer : answers) {
                if (answer.statusCode() == 202) {
                    accepted.add((String) ApiClient.map(answer.body()).get("executionId"));
                } else {
                    assertEquals(503, answer.statusCode(), answer.body());
                    assertEquals("https://runtimeplane.dev/problems/overloaded", ApiClient.map(answer.body()).get("type"));
                    assertTrue(answer.headers().firstValue("Retry-After").isPresent(), "503 without Retry-After");
                    overloaded++;
                }
            }
            assertTrue(overloaded > 0, "no submit was refused");
            assertTrue(!accepted.isEmpty(), "nothing was accepted");
            Map<String, String> states = Executions.awaitTerminal(api, session.id(), session.auth(), accepted,
                    Duration.ofSeconds(90));
            assertTrue(states.values().stream().allMatch("COMPLETED"::equals), states.toString());
            String health = ApiClient.map(new ApiClient("http://127.0.0.1:" + service.managementPort())
                    .get("/health", Map.of()).body()).toString();
            assertTrue(health.contains("executionLimit=" + LIMIT), health);
        }
    }
}
