package dev.runtimeplane.service.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.RunningService;
import dev.runtimeplane.service.testing.TestCredentials;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The production default: no API key and no IdP configured, so no session can be opened; the answer is a 503 that
 * tells the operator what to configure (with or without a credential), never an open door.
 */
@MicronautTest
class NoTenantCredentialConfiguredTest extends RunningService {

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("runtime.auth.api-keys", "");
        return properties;
    }

    @Test
    void openingASessionAnswers503SayingWhatToConfigure() {
        for (Map<String, String> auth : java.util.List.of(Map.<String, String>of(), TestCredentials.auth("acme"))) {
            HttpResponse<String> refused = api.withoutTenantCredential().send("POST", "/v1/sessions", "{\"user\":\"ada\"}", auth);
            Map<String, Object> problem = assertProblem(refused, 503, "unavailable", null);
            assertTrue(problem.get("detail").toString().contains("runtime.auth.api-keys"), refused.body());
            assertTrue(problem.get("detail").toString().contains("runtime.auth.jwt.jwks-url"), refused.body());
            assertFalse(refused.headers().firstValue("Retry-After").isPresent(), "waiting does not help; configuring does");
        }
        assertTrue(ApiClient.map(management.get("/health", Map.of()).body()).toString().contains("apiKeys"));
    }
}
