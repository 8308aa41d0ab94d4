package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Waits for executions to reach a terminal state through the API. */
final class Executions {

    private Executions() {
    }

    /** The terminal state of every execution, by id; fails if one is not terminal within {@code timeout}. */
    static Map<String, String> awaitTerminal(ApiClient api, String sessionId, Map<String, String> auth,
                                             Collection<String> executions, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> states = new HashMap<>();
        for (String execution : executions) {
            while (true) {
                HttpResponse<String> status = api.get("/v1/sessions/" + sessionId + "/executions/" + execution, auth);
                assertEquals(200, status.statusCode(), "execution " + execution + ": " + status.body());
                Map<String, Object> body = ApiClient.map(status.body());
                if (Boolean.TRUE.equals(body.get("terminal"))) {
                    states.put(execution, (String) body.get("state"));
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "execution " + execution + " not terminal: " + body);
                Thread.sleep(50);
            }
        }
        return states;
    }
}
