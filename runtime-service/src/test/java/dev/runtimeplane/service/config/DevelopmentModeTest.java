package dev.runtimeplane.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.RunningService;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Development mode is explicit and loud: without a Redis URI the service starts only when
 * {@code runtime.development-mode} is on, then runs its own redis-server and /health says so.
 */
@MicronautTest
class DevelopmentModeTest extends RunningService {

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("runtime.redis.uri", "");
        properties.put("runtime.development-mode", "true");
        return properties;
    }

    @Test
    void healthNamesDevelopmentModeAndTheServiceWorks() {
        Map<String, Object> health = ApiClient.map(management.get("/health", Map.of()).body());
        assertEquals("DEGRADED", health.get("status"), health.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) ((Map<String, Object>) health.get("components"))
                .get(DevelopmentRedis.NAME);
        assertEquals("DEGRADED", entry.get("status"));
        assertTrue(((String) entry.get("reason")).startsWith("DEVELOPMENT MODE"), entry.toString());
        assertEquals(200, management.get("/health/ready", Map.of()).statusCode(), "still ready: it serves");
        api.openSession("acme");
    }

    @Test
    void withoutARedisUriOrDevelopmentModeTheServiceDoesNotStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RedisUris.resolve("", Optional.empty()));
        assertTrue(refused.getMessage().contains("REDIS_URI"), refused.getMessage());
    }
}
