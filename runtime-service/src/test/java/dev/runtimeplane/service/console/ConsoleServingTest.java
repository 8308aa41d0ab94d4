package dev.runtimeplane.service.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.RunningService;
import dev.runtimeplane.testkit.FreePorts;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's files on the admin port: each with its content type and the strict security headers; nothing
 * else (no listing, no path outside the list); and nothing of it on the API port.
 */
@MicronautTest
class ConsoleServingTest extends RunningService {

    private final int adminPort = FreePorts.any();
    private final ApiClient admin = new ApiClient("http://127.0.0.1:" + adminPort);

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("runtime.admin.port", String.valueOf(adminPort));
        return properties;
    }

    @Test
    void everyFileHasItsContentTypeAndTheSecurityHeaders() {
        Map<String, String> files = Map.of(
                "/console", "text/html; charset=utf-8",
                "/console/", "text/html; charset=utf-8",
                "/console/app.js", "text/javascript; charset=utf-8",
                "/console/vendor/preact.mjs", "text/javascript; charset=utf-8",
                "/console/vendor/hooks.mjs", "text/javascript; charset=utf-8",
                "/console/app.css", "text/css; charset=utf-8",
                "/console/favicon.svg", "image/svg+xml");
        files.forEach((path, type) -> {
            HttpResponse<String> response = admin.get(path, Map.of());
            assertEquals(200, response.statusCode(), path);
            assertEquals(type, response.headers().firstValue("Content-Type").orElse(""), path);
            assertSecurityHeaders(response, path);
        });
        assertTrue(admin.get("/console/", Map.of()).body().contains("<script type=\"module\" src=\"/console/app.js\">"));
    }

    @Test
    void onlyTheListedFilesAreServed() {
        for (String path : new String[] {"/console/vendor/README.md", "/console/vendor/LICENSE-htm", "/console/nope.js",
                "/console/../application.yml", "/console/%2e%2e/application.yml", "/console/vendor/"}) {
            HttpResponse<String> response = admin.get(path, Map.of());
            assertEquals(404, response.statusCode(), path);
        }
    }

    @Test
    void theApiPortDoesNotServeTheConsole() {
        assertEquals(404, api.get("/console/", Map.of()).statusCode());
        assertEquals(404, api.get("/console/app.js", Map.of()).statusCode());
    }

    private static void assertSecurityHeaders(HttpResponse<String> response, String path) {
        String policy = response.headers().firstValue("Content-Security-Policy").orElse("");
        assertEquals(ConsoleController.CONTENT_SECURITY_POLICY, policy, path);
        assertTrue(policy.contains("default-src 'none'") && policy.contains("script-src 'self'")
                && !policy.contains("unsafe"), policy);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), path);
        assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(""), path);
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""), path);
    }
}
