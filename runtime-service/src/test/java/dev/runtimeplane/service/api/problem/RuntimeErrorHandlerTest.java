package dev.runtimeplane.service.api.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runtimeplane.core.error.OverloadedException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeErrorHandlerTest {

    @Test
    void overloadAnswers503WithRetryAfterAndItsOwnProblemType() {
        HttpResponse<?> response = new RuntimeErrorHandler().handle(HttpRequest.POST("/v1/sessions/s/intents", "{}"),
                new OverloadedException("this replica holds 4 executions, its limit", Duration.ofSeconds(3)));
        assertEquals(503, response.getStatus().getCode());
        assertEquals("3", response.getHeaders().get(HttpHeaders.RETRY_AFTER));
        Map<?, ?> body = (Map<?, ?>) response.body();
        assertEquals("https://runtimeplane.dev/problems/overloaded", body.get("type"));
        assertEquals("overloaded", body.get("code"));
        assertEquals("this replica holds 4 executions, its limit", body.get("detail"));
    }
}
