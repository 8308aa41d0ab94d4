package dev.runtimeplane.service.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.RunningService;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With nothing switched on, the example intent types (one burns CPU on request) are not served. */
@MicronautTest
class SafeDefaultsTest extends RunningService {

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.remove("runtime.examples.enabled");
        return properties;
    }

    @Test
    void theExampleIntentTypesAreOffByDefault() {
        String types = api.get("/v1/intent-types", Map.of()).body();
        assertFalse(types.contains("cpu-work") || types.contains("trip-booking") || types.contains("noop-3"), types);

        TestSession session = api.openSession("acme");
        assertProblem(api.send("POST", "/v1/sessions/" + session.id() + "/intents",
                "{\"type\":\"cpu-work\",\"payload\":{\"millis\":5000}}", session.auth()), 422, "unknown-type", null);
    }

    @Test
    void aProductionStartIsNotInDevelopmentMode() {
        String health = management.get("/health", Map.of()).body();
        assertFalse(health.contains("developmentMode"), health);
        assertEquals(200, management.get("/health/ready", Map.of()).statusCode());
    }
}
