package dev.runtimeplane.service.auth;

import static dev.runtimeplane.service.auth.JwksServer.bearer;
import static dev.runtimeplane.service.auth.JwksServer.claims;
import static dev.runtimeplane.service.auth.JwksServer.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.RSAKey;
import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.Definitions;
import dev.runtimeplane.service.testing.RunningService;
import dev.runtimeplane.service.testing.TestCredentials;
import dev.runtimeplane.testkit.FreePorts;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Opening a session needs a tenant credential, an API key or a JWT from the IdP (JWKS served by a real local HTTP
 * server); the tenant comes from it. Every refusal is an RFC 9457 problem: 401 with WWW-Authenticate, 403 for another
 * tenant. Session-scoped routes keep answering 404 to anything but their session token; the admin port keeps its own
 * token; health stays open.
 */
@MicronautTest
class TenantCredentialsTest extends RunningService {

    private static final String ADMIN_TOKEN = "admin-token-for-tenant-tests";
    private static final JwksServer IDP = new JwksServer();
    private static final RSAKey SIGNING = JwksServer.newKey("k1");
    private static final RSAKey UNPUBLISHED = JwksServer.newKey("k1-attacker");

    static {
        IDP.publish(SIGNING);
    }

    private final int adminPort = FreePorts.any();
    private final ApiClient admin = new ApiClient("http://127.0.0.1:" + adminPort);
    private final ApiClient anonymous = api.withoutTenantCredential();
    private final Map<String, String> adminAuth = Map.of("Authorization", "Bearer " + ADMIN_TOKEN);

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("runtime.admin.port", String.valueOf(adminPort));
        properties.put("runtime.admin.token-sha256", Definitions.sha256(ADMIN_TOKEN));
        properties.put("runtime.auth.jwt.jwks-url", IDP.url());
        properties.put("runtime.auth.jwt.issuer", JwksServer.ISSUER);
        properties.put("runtime.auth.jwt.audience", JwksServer.AUDIENCE);
        return properties;
    }

    @AfterAll
    void stopIdp() {
        IDP.close();
    }

    @Test
    void noCredentialAnswers401WithWwwAuthenticate() {
        HttpResponse<String> refused = anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}", Map.of());
        assertProblem(refused, 401, "unauthenticated", "Authorization");
        assertEquals("Bearer realm=\"runtime-plane\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> basic = anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}",
                Map.of("Authorization", "Basic YWRhOnNlY3JldA=="));
        assertProblem(basic, 401, "unauthenticated", "Authorization");
    }

    @Test
    void wrongCredentialsAnswer401WithInvalidToken() {
        for (String token : List.of("rpk_not_a_key_anyone_was_given", "garbage", "a.b.c",
                TestCredentials.key("acme") + "x", ADMIN_TOKEN)) {
            HttpResponse<String> refused = anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}", bearer(token));
            assertProblem(refused, 401, "unauthenticated", "Authorization");
            assertEquals("Bearer realm=\"runtime-plane\", error=\"invalid_token\"",
                    refused.headers().firstValue("WWW-Authenticate").orElse(""), token);
        }
    }

    @Test
    void theTenantComesFromTheApiKeyAndAnotherTenantAnswers403() {
        HttpResponse<String> created = anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}", TestCredentials.auth("globex"));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("globex", ApiClient.map(created.body()).get("tenant"));
        HttpResponse<String> same = anonymous.send("POST", "/v1/sessions", "{\"tenant\":\"globex\",\"user\":\"ada\"}",
                TestCredentials.auth("globex"));
        assertEquals(201, same.statusCode(), same.body());
        assertProblem(anonymous.send("POST", "/v1/sessions", "{\"tenant\":\"acme\",\"user\":\"ada\"}",
                TestCredentials.auth("globex")), 403, "forbidden", "tenant");
    }

    @Test
    void anAdminCreatedKeyWorksUntilRevokedAndIsNeverShownAgain() {
        HttpResponse<String> created = admin.send("POST", "/admin/v1/tenants/initech/api-keys", null, adminAuth);
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> key = ApiClient.map(created.body());
        String secret = (String) key.get("key");
        assertTrue(secret.startsWith("rpk_") && secret.length() >= 4 + 43, "256 random bits, base64url: " + secret);
        assertEquals(Definitions.sha256(secret).substring(0, 16), key.get("id"));

        HttpResponse<String> session = anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}", bearer(secret));
        assertEquals(201, session.statusCode(), session.body());
        assertEquals("initech", ApiClient.map(session.body()).get("tenant"));

        HttpResponse<String> listed = admin.get("/admin/v1/tenants/initech/api-keys", adminAuth);
        assertEquals(200, listed.statusCode(), listed.body());
        assertFalse(listed.body().contains(secret.substring(4)), "a listing never shows the key: " + listed.body());
        assertFalse(listed.body().contains(Definitions.sha256(secret)), "nor its full hash: " + listed.body());
        assertEquals(List.of(key.get("id")), ApiClient.list(listed.body()).stream().map(k -> k.get("id")).toList());

        HttpResponse<String> revoked = admin.send("DELETE", "/admin/v1/api-keys/" + key.get("id"), null, adminAuth);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertTrue(ApiClient.map(revoked.body()).get("revokedAt") != null, revoked.body());
        HttpResponse<String> refused = anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}", bearer(secret));
        assertProblem(refused, 401, "unauthenticated", "Authorization");
        assertEquals(404, admin.send("DELETE", "/admin/v1/api-keys/0000000000000000", null, adminAuth).statusCode());
    }

    @Test
    void adminKeyEndpointsNeedTheAdminTokenNotATenantCredential() {
        for (Map<String, String> auth : List.of(Map.<String, String>of(), TestCredentials.auth("acme"),
                bearer(sign(SIGNING, claims("acme").build())))) {
            HttpResponse<String> create = admin.send("POST", "/admin/v1/tenants/acme/api-keys", null, auth);
            assertProblem(create, 401, "unauthenticated", "Authorization");
            assertEquals(401, admin.get("/admin/v1/tenants/acme/api-keys", auth).statusCode());
            assertEquals(401, admin.send("DELETE", "/admin/v1/api-keys/0000000000000000", null, auth).statusCode());
        }
        assertEquals(404, api.send("POST", "/admin/v1/tenants/acme/api-keys", null, adminAuth).statusCode(),
                "the API port does not serve the admin API");
    }

    @Test
    void aValidJwtOpensASessionForItsTenantClaim() {
        HttpResponse<String> created = anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}",
                bearer(sign(SIGNING, claims("umbrella").build())));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("umbrella", ApiClient.map(created.body()).get("tenant"));
        assertProblem(anonymous.send("POST", "/v1/sessions", "{\"tenant\":\"acme\",\"user\":\"ada\"}",
                bearer(sign(SIGNING, claims("umbrella").build()))), 403, "forbidden", "tenant");
    }

    @Test
    void invalidJwtsAnswer401() {
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("expired", sign(SIGNING, claims("acme").expirationTime(Date.from(now.minusSeconds(120))).build()));
        tokens.put("not yet valid", sign(SIGNING, claims("acme").notBeforeTime(Date.from(now.plusSeconds(600))).build()));
        tokens.put("wrong issuer", sign(SIGNING, claims("acme").issuer("https://evil.test").build()));
        tokens.put("wrong audience", sign(SIGNING, claims("acme").audience("another-service").build()));
        tokens.put("no tenant claim", sign(SIGNING, claims("acme").claim("tenant", null).build()));
        tokens.put("invalid tenant claim", sign(SIGNING, claims("a:b").build()));
        tokens.put("key not in the JWKS", sign(UNPUBLISHED, claims("acme").build()));
        tokens.put("unpublished key under a published kid", sign(withKid(UNPUBLISHED, "k1"), claims("acme").build()));
        String valid = sign(SIGNING, claims("acme").build());
        tokens.put("tampered", valid.substring(0, valid.lastIndexOf('.') - 2) + "xx" + valid.substring(valid.lastIndexOf('.')));
        tokens.forEach((what, token) -> {
            HttpResponse<String> refused = anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}", bearer(token));
            assertEquals(401, refused.statusCode(), what + ": " + refused.body());
            assertProblem(refused, 401, "unauthenticated", "Authorization");
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"), what);
        });
    }

    @Test
    void aRotatedKeyIsFollowed() throws InterruptedException {
        assertEquals(201, anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}",
                bearer(sign(SIGNING, claims("acme").build()))).statusCode(), "the JWKS is cached now");
        RSAKey rotated = JwksServer.newKey("k2-" + System.nanoTime());
        String token = sign(rotated, claims("acme").build());
        IDP.publish(rotated);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> created = anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}", bearer(token));
        while (created.statusCode() == 401 && System.nanoTime() < deadline) { // forced refreshes are rate-limited (1/s)
            Thread.sleep(100);
            created = anonymous.send("POST", "/v1/sessions", "{\"user\":\"ada\"}", bearer(token));
        }
        assertEquals(201, created.statusCode(), "an unknown kid fetches the JWKS again: " + created.body());
    }

    @Test
    void sessionRoutesAnswer404ToTenantCredentials() {
        TestSession session = api.openSession("acme");
        String execution = submit(session, "{\"type\":\"trip-booking\",\"payload\":{\"traveller\":\"ada\"}}");
        String s = "/v1/sessions/" + session.id();
        Map<String, Supplier<HttpResponse<String>>> routes = new LinkedHashMap<>();
        for (Map<String, String> auth : List.of(Map.<String, String>of(), bearer("garbage"), TestCredentials.auth("acme"),
                TestCredentials.auth("globex"), bearer(sign(SIGNING, claims("acme").build())), adminAuth)) {
            routes.put("GET session " + auth, () -> api.get(s, auth));
            routes.put("touch " + auth, () -> api.send("POST", s + "/touch", null, auth));
            routes.put("GET state " + auth, () -> api.get(s + "/state", auth));
            routes.put("PUT state " + auth, () -> api.send("PUT", s + "/state", "{}", ApiClient.with(auth, "If-Match", "\"0\"")));
            routes.put("POST intent " + auth, () -> api.send("POST", s + "/intents", "{\"type\":\"trip-booking\"}", auth));
            routes.put("GET execution " + auth, () -> api.get(execution, auth));
            routes.put("GET events " + auth, () -> api.get(execution + "/events", auth));
            routes.put("GET stream " + auth, () -> api.get(execution + "/stream", auth));
            routes.put("cancel " + auth, () -> api.send("POST", execution + "/cancel", null, auth));
            routes.put("DELETE session " + auth, () -> api.send("DELETE", s, null, auth));
        }
        routes.forEach((what, call) -> assertProblem(call.get(), 404, "not-found", null));
        assertEquals(200, api.get(s, session.auth()).statusCode(), "the session token still works");
    }

    @Test
    void healthStaysOpen() {
        assertEquals(200, management.get("/health/live", Map.of()).statusCode());
        assertEquals(200, management.get("/health/ready", Map.of()).statusCode());
        assertTrue(management.get("/health", Map.of()).body().contains("apiKeys"));
    }

    private static RSAKey withKid(RSAKey key, String kid) {
        return new RSAKey.Builder(key).keyID(kid).build();
    }
}
