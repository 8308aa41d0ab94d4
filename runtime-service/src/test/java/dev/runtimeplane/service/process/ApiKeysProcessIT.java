package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.Definitions;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tenant API keys across real processes: a key created through one replica opens sessions on another at once, and
 * once revoked through the first it is refused by the second within seconds; keys and revocations are journaled,
 * so a Redis that lost everything gets them back (a revoked key stays revoked).
 */
class ApiKeysProcessIT {

    private static final String ADMIN_TOKEN = "admin-token-for-key-process-tests";
    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
    private static final String OPEN = "{\"user\":\"ada\"}";

    @Test
    void aKeyRevokedThroughOneReplicaIsRefusedByTheOther() throws Exception {
        try (RedisServer redis = RedisTestKit.startServer("--save", "", "--appendonly", "no");
             ServiceProcess first = ServiceProcess.start(environment(redis)).awaitReady(Duration.ofSeconds(60));
             ServiceProcess second = ServiceProcess.start(environment(redis)).awaitReady(Duration.ofSeconds(60))) {
            Map<String, Object> created = create(first, "initech");
            Map<String, String> key = Map.of("Authorization", "Bearer " + created.get("key"));
            ApiClient other = second.api().withoutTenantCredential();
            expect(201, other.send("POST", "/v1/sessions", OPEN, key));

            expect(200, first.admin().send("DELETE", "/admin/v1/api-keys/" + created.get("id"), null, ADMIN));
            expect(401, first.api().withoutTenantCredential().send("POST", "/v1/sessions", OPEN, key));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            HttpResponse<String> answer = other.send("POST", "/v1/sessions", OPEN, key);
            while (answer.statusCode() == 201 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                answer = other.send("POST", "/v1/sessions", OPEN, key);
            }
            expect(401, answer);
        }
    }

    @Test
    void keysAndRevocationsSurviveARedisThatLostItsData() throws Exception {
        try (RedisServer redis = RedisTestKit.startServer("--save", "", "--appendonly", "no")) {
            ServiceProcess first = ServiceProcess.start(environment(redis)).awaitReady(Duration.ofSeconds(60));
            Map<String, String> kept = bearer(create(first, "initech"));
            Map<String, Object> revoked = create(first, "initech");
            expect(200, first.admin().send("DELETE", "/admin/v1/api-keys/" + revoked.get("id"), null, ADMIN));

            first.process().destroyForcibly().waitFor();
            redis.stop();
            redis.start();
            assertEquals("0", redis.command("DBSIZE"), "Redis came back empty");
            try (ServiceProcess again = first.restart().awaitReady(Duration.ofSeconds(60))) {
                ApiClient api = again.api().withoutTenantCredential();
                expect(201, api.send("POST", "/v1/sessions", OPEN, kept));
                expect(401, api.send("POST", "/v1/sessions", OPEN, bearer(revoked)));
                assertEquals("1", redis.command("HEXISTS", "rp:api-keys", Definitions.sha256((String) revoked.get("key"))),
                        "the revocation is back in Redis for every replica");
            } finally {
                first.close();
            }
        }
    }

    private static Map<String, Object> create(ServiceProcess service, String tenant) {
        HttpResponse<String> created = service.admin().send("POST", "/admin/v1/tenants/" + tenant + "/api-keys", null, ADMIN);
        expect(201, created);
        return ApiClient.map(created.body());
    }

    private static Map<String, String> bearer(Map<String, Object> created) {
        return Map.of("Authorization", "Bearer " + created.get("key"));
    }

    private static Map<String, String> environment(RedisServer redis) {
        return Map.of("REDIS_URI", redis.uri(), "RUNTIME_ADMIN_TOKEN_SHA256", Definitions.sha256(ADMIN_TOKEN));
    }

    private static void expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
    }
}
