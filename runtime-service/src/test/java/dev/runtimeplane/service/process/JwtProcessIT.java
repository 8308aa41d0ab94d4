package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.jwk.RSAKey;
import dev.runtimeplane.service.auth.JwksServer;
import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.testkit.RedisTestKit;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JWTs in the packaged service (its own class path, where the JWKS is fetched without Micronaut's HTTP client):
 * a token from the IdP opens a session for its tenant claim, and a key the IdP publishes later is followed.
 */
class JwtProcessIT {

    @Test
    void theServiceAcceptsTheIdpsTokensAndFollowsItsKeyRotation() throws Exception {
        RSAKey first = JwksServer.newKey("first");
        try (JwksServer idp = new JwksServer();
             ServiceProcess service = ServiceProcess.start(Map.of(
                     "REDIS_URI", RedisTestKit.shared().uri(),
                     "RUNTIME_REDIS_KEY_PREFIX", "jwt-" + System.nanoTime(),
                     "RUNTIME_AUTH_JWT_JWKS_URL", idp.url(),
                     "RUNTIME_AUTH_JWT_ISSUER", JwksServer.ISSUER,
                     "RUNTIME_AUTH_JWT_AUDIENCE", JwksServer.AUDIENCE)).awaitReady(Duration.ofSeconds(60))) {
            idp.publish(first);
            ApiClient api = service.api().withoutTenantCredential();
            HttpResponse<String> created = api.send("POST", "/v1/sessions", "{\"user\":\"ada\"}",
                    Map.of("Authorization", "Bearer " + JwksServer.sign(first, JwksServer.claims("umbrella").build())));
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("umbrella", ApiClient.map(created.body()).get("tenant"));

            RSAKey rotated = JwksServer.newKey("rotated");
            idp.publish(rotated);
            Map<String, String> token = Map.of("Authorization", "Bearer " + JwksServer.sign(rotated, JwksServer.claims("umbrella").build()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            HttpResponse<String> answer = api.send("POST", "/v1/sessions", "{\"user\":\"ada\"}", token);
            while (answer.statusCode() == 401 && System.nanoTime() < deadline) { // forced refreshes are rate-limited
                Thread.sleep(100);
                answer = api.send("POST", "/v1/sessions", "{\"user\":\"ada\"}", token);
            }
            assertEquals(201, answer.statusCode(), answer.body());
        }
    }
}
