package dev.runtimeplane.service.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.testkit.FreePorts;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.testkit.TempDirectories;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** With no admin credential configured the admin API is disabled (503 saying what to configure), never open. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminDisabledTest implements TestPropertyProvider {

    private static final int ADMIN_PORT = FreePorts.any();

    private final ApiClient admin = new ApiClient("http://127.0.0.1:" + ADMIN_PORT);

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "micronaut.server.port", String.valueOf(FreePorts.any()),
                "endpoints.all.port", String.valueOf(FreePorts.any()),
                "runtime.admin.port", String.valueOf(ADMIN_PORT),
                "runtime.redis.uri", RedisTestKit.shared().uri(),
                "runtime.redis.key-prefix", "admin-off-" + System.nanoTime(),
                "runtime.wal.dir", TempDirectories.create("admin-off-wal").toString());
    }

    @Test
    void everyAdminCallAnswers503WithWhatToConfigure() {
        for (String token : new String[] {"", "anything"}) {
            HttpResponse<String> refused = admin.send("POST", "/admin/v1/intent-types", "intentType: x\n",
                    Map.of("Content-Type", "application/yaml", "Authorization", "Bearer " + token));
            assertEquals(503, refused.statusCode(), refused.body());
            Map<String, Object> problem = ApiClient.map(refused.body());
            assertEquals("https://runtimeplane.dev/problems/unavailable", problem.get("type"));
            assertTrue(problem.get("detail").toString().contains("runtime.admin.token-sha256"), refused.body());
            assertFalse(refused.headers().firstValue("Retry-After").isPresent(), "waiting does not enable it");
        }
    }
}
