package dev.runtimeplane.service.admin;

import static dev.runtimeplane.service.testing.ApiClient.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.TestCredentials;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.Definitions;
import dev.runtimeplane.testkit.FreePorts;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.testkit.TempDirectories;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin API on its own port (a real Redis and WAL): the token, every registration outcome, and what a
 * registered definition changes on the API port (listing, payload validation, versions).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest implements TestPropertyProvider {

    private static final String TOKEN = "admin-secret-token-1";
    private static final int API_PORT = FreePorts.any();
    private static final int MANAGEMENT_PORT = FreePorts.any();
    private static final int ADMIN_PORT = FreePorts.any();
    /** Nothing listens here: the definitions only need to pass the allow-list. */
    private static final String SERVICE = "http://127.0.0.1:" + FreePorts.any();

    private final ApiClient api = new ApiClient("http://127.0.0.1:" + API_PORT);
    private final ApiClient admin = new ApiClient("http://127.0.0.1:" + ADMIN_PORT);
    private final ApiClient management = new ApiClient("http://127.0.0.1:" + MANAGEMENT_PORT);
    private final Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "micronaut.server.port", String.valueOf(API_PORT),
                "endpoints.all.port", String.valueOf(MANAGEMENT_PORT),
                "runtime.admin.port", String.valueOf(ADMIN_PORT),
                "runtime.admin.token-sha256", Definitions.sha256(TOKEN),
                "runtime.outbound.allow", SERVICE,
                "runtime.examples.enabled", "true",
                "runtime.redis.uri", RedisTestKit.shared().uri(),
                "runtime.redis.key-prefix", "admin-" + System.nanoTime(),
                "runtime.wal.dir", TempDirectories.create("admin-wal").toString(),
                "runtime.auth.api-keys", TestCredentials.PROVISIONED);
    }

    @BeforeAll
    void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (management.get("/health/ready", Map.of()).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "not ready: " + management.get("/health", Map.of()).body());
            Thread.sleep(50);
        }
    }

    @Test
    void aMissingOrWrongTokenAnswers401WithWwwAuthenticate() {
        String definition = orderFlow("token-check", 1);
        for (Map<String, String> headers : List.of(Map.<String, String>of(),
                Map.of("Authorization", "Bearer wrong"), Map.of("Authorization", "Basic " + TOKEN))) {
            HttpResponse<String> refused = admin.send("POST", "/admin/v1/intent-types", definition, yaml(headers));
            assertProblem(refused, 401, "unauthenticated");
            assertEquals("Bearer realm=\"runtime-plane-admin\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
        }
        HttpResponse<String> lowerCaseScheme = admin.send("POST", "/admin/v1/intent-types", definition,
                yaml(Map.of("Authorization", "bearer " + TOKEN)));
        assertEquals(201, lowerCaseScheme.statusCode(), lowerCaseScheme.body());
    }

    @Test
    void theAdminApiIsOnlyOnTheAdminPortAndTheAdminPortServesNothingElse() {
        assertProblem(api.send("POST", "/admin/v1/intent-types", orderFlow("wrong-port", 1), yaml(auth)), 404, "not-found");
        assertEquals(404, admin.get("/v1/intent-types", Map.of()).statusCode());
    }

    @Test
    void registrationIsCreatedThenIdempotentAndImmutable() {
        HttpResponse<String> created = admin.send("POST", "/admin/v1/intent-types", orderFlow("order-a", 1), yaml(auth));
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> body = ApiClient.map(created.body());
        assertEquals("order-a", body.get("type"));
        assertEquals(1, body.get("version"));
        assertEquals("created", body.get("status"));
        assertTrue(body.get("warnings").toString().contains("$.steps[2]"), "ship has no compensation: " + body);

        HttpResponse<String> again = admin.send("POST", "/admin/v1/intent-types", orderFlow("order-a", 1), yaml(auth));
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("unchanged", ApiClient.map(again.body()).get("status"));

        String changed = orderFlow("order-a", 1).replace("deadline: 30s", "deadline: 40s");
        assertProblem(admin.send("POST", "/admin/v1/intent-types", changed, yaml(auth)), 409, "conflict");
        assertEquals(201, admin.send("POST", "/admin/v1/intent-types", orderFlow("order-a", 2).replace("deadline: 30s",
                "deadline: 40s"), yaml(auth)).statusCode(), "a new version of the same type");
    }

    @Test
    void aJsonDefinitionRegistersToo() {
        String json = "{\"intentType\":\"json-type\",\"version\":3,\"steps\":[{\"name\":\"look\",\"action\":"
                + "{\"method\":\"GET\",\"url\":\"" + SERVICE + "/look\"}}]}";
        HttpResponse<String> created = admin.send("POST", "/admin/v1/intent-types", json, auth);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(3, ApiClient.map(created.body()).get("version"));
    }

    @Test
    void anInvalidDefinitionAnswers400WithEveryProblemsLineAndPath() {
        String invalid = orderFlow("broken", 1)
                .replace("reservation: \"{% steps.reserve.reservationId %}\"", "reservation: \"{% steps.ship.id %}\"")
                .replace(SERVICE + "/shipments", "http://elsewhere.example:9/shipments");
        HttpResponse<String> refused = admin.send("POST", "/admin/v1/intent-types", invalid, yaml(auth));
        assertProblem(refused, 400, "invalid-argument");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> problems = (List<Map<String, Object>>) ApiClient.map(refused.body()).get("problems");
        assertTrue(problems.stream().anyMatch(p -> p.get("path").toString().startsWith("$.steps[1].action.body")
                && ((Number) p.get("line")).intValue() > 0), refused.body());
        assertTrue(problems.stream().anyMatch(p -> p.get("path").toString().startsWith("$.steps[2].action.url")
                && p.get("message").toString().contains("allow")), refused.body());
        assertEquals(404, api.send("POST", "/v1/sessions/x/intents", "{\"type\":\"broken\"}", Map.of()).statusCode());
        assertTrue(api.get("/v1/intent-types", Map.of()).body().indexOf("\"broken\"") < 0, "nothing registered");
    }

    @Test
    void aJavaIntentTypeCannotBeRegisteredAsADefinition() {
        assertProblem(admin.send("POST", "/admin/v1/intent-types", orderFlow("trip-booking", 7), yaml(auth)), 409, "conflict");
    }

    @Test
    void theListingShowsJavaAndDeclarativeTypesWithVersionsLatestFirst() {
        admin.send("POST", "/admin/v1/intent-types", orderFlow("listed", 1), yaml(auth));
        admin.send("POST", "/admin/v1/intent-types", orderFlow("listed", 2), yaml(auth));
        List<Map<String, Object>> types = ApiClient.list(api.get("/v1/intent-types", Map.of()).body());
        Map<String, Object> listed = types.stream().filter(t -> t.get("type").equals("listed")).findFirst().orElseThrow();
        assertEquals("definition", listed.get("origin"));
        assertEquals(2, listed.get("version"));
        assertEquals(List.of("reserve", "charge", "ship"), listed.get("steps"));
        assertEquals("o-1001", ((Map<?, ?>) listed.get("examplePayload")).get("orderId"));
        assertFalse(((List<?>) listed.get("warnings")).isEmpty());
        assertEquals(List.of(2, 1), ((List<?>) listed.get("versions")).stream().map(v -> ((Map<?, ?>) v).get("version")).toList());
        Map<String, Object> java = types.stream().filter(t -> t.get("type").equals("trip-booking")).findFirst().orElseThrow();
        assertEquals("java", java.get("origin"));
    }

    @Test
    void aSubmitOfADeclarativeTypeIsValidatedAgainstItsSchemaAndMayPickAVersion() {
        admin.send("POST", "/admin/v1/intent-types", orderFlow("validated", 1), yaml(auth));
        TestSession session = api.openSession("acme");
        String intents = "/v1/sessions/" + session.id() + "/intents";
        String payload = "{\"orderId\":\"o-1\",\"customerId\":\"c-1\",\"items\":[{\"sku\":\"a\",\"quantity\":1}],"
                + "\"amount\":{\"value\":5,\"currency\":\"eur\"},\"address\":{}}";
        HttpResponse<String> refused = api.send("POST", intents, "{\"type\":\"validated\",\"payload\":" + payload + "}",
                session.auth());
        assertProblem(refused, 400, "invalid-argument");
        assertEquals("/payload/amount/currency", ApiClient.map(refused.body()).get("field"), refused.body());

        String valid = payload.replace("\"eur\"", "\"EUR\"");
        HttpResponse<String> accepted = api.send("POST", intents, "{\"type\":\"validated\",\"version\":1,\"payload\":" + valid + "}",
                session.auth());
        assertEquals(202, accepted.statusCode(), accepted.body());
        HttpResponse<String> noSuchVersion = api.send("POST", intents, "{\"type\":\"validated\",\"version\":9,\"payload\":"
                + valid + "}", session.auth());
        assertProblem(noSuchVersion, 422, "unknown-type");
        assertEquals("version", ApiClient.map(noSuchVersion.body()).get("field"));
    }

    private static String orderFlow(String type, int version) {
        return Definitions.orderFlow(SERVICE, SERVICE, SERVICE)
                .replace("intentType: place-order", "intentType: " + type).replace("version: 1\n", "version: " + version + "\n");
    }

    private static Map<String, String> yaml(Map<String, String> headers) {
        return with(headers, "Content-Type", "application/yaml");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""), response.body());
        Map<String, Object> problem = ApiClient.map(response.body());
        assertEquals("https://runtimeplane.dev/problems/" + code, problem.get("type"), response.body());
        assertNotNull(problem.get("detail"));
    }
}
