package dev.runtimeplane.service.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.RunningService;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/sessions} with an Idempotency-Key over real HTTP: a retry (also several at once) gets
 * the same session and a token that works; the same key with another body answers 422.
 */
@MicronautTest
class SessionCreateIdempotencyTest extends RunningService {

    private static final String BODY = "{\"tenant\":\"acme\",\"user\":\"ada\",\"metadata\":{\"app\":\"cli\"},\"ttlSeconds\":600}";

    @Test
    void retriesWithTheSameKeyGetTheSameSessionAndAWorkingToken() throws Exception {
        String key = "create-" + System.nanoTime();
        List<Callable<HttpResponse<String>>> retries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            retries.add(() -> create(key, BODY));
        }
        List<Map<String, Object>> created = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            for (Future<HttpResponse<String>> answer : clients.invokeAll(retries)) {
                assertEquals(201, answer.get().statusCode(), answer.get().body());
                created.add(ApiClient.map(answer.get().body()));
            }
        }
        Map<String, Object> first = created.getFirst();
        for (Map<String, Object> again : created) {
            assertEquals(first, again);
        }
        HttpResponse<String> session = api.get("/v1/sessions/" + first.get("sessionId"),
                Map.of("Authorization", "Bearer " + first.get("token")));
        assertEquals(200, session.statusCode(), session.body());

        HttpResponse<String> later = create(key, BODY);
        assertEquals(first, ApiClient.map(later.body()));
        assertEquals("/v1/sessions/" + first.get("sessionId"), later.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void theSameKeyWithAnotherBodyAnswers422AndABadKey400() {
        String key = "create-" + System.nanoTime();
        assertEquals(201, create(key, BODY).statusCode());
        assertProblem(create(key, BODY.replace("ada", "bob")), 422, "idempotency-key-reused", "Idempotency-Key");
        assertProblem(create(key, BODY.replace("600", "601")), 422, "idempotency-key-reused", "Idempotency-Key");
        assertProblem(create("has space", BODY), 400, "invalid-argument", "Idempotency-Key");
        assertEquals(201, create(key, BODY.replace("acme", "other")).statusCode(), "keys are per tenant");
    }

    private HttpResponse<String> create(String key, String body) {
        return api.send("POST", "/v1/sessions", body, Map.of("Idempotency-Key", key));
    }
}
