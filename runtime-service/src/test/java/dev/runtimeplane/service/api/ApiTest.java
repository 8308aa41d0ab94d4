package dev.runtimeplane.service.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.runtimeplane.service.testing.ApiClient.with;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.RunningService;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every API route against a real Redis and a real WAL, including auth, isolation and each error status. */
@MicronautTest
class ApiTest extends RunningService {

    // ---- sessions ------------------------------------------------------------------------------

    @Test
    void sessionLifecycleWithBearerToken() {
        TestSession session = api.openSession("acme");
        HttpResponse<String> get = api.get("/v1/sessions/" + session.id(), session.auth());
        assertEquals(200, get.statusCode());
        assertEquals("acme", body(get).get("tenant"));
        assertEquals("ada", body(get).get("user"));

        HttpResponse<String> touched = api.send("POST", "/v1/sessions/" + session.id() + "/touch", null, session.auth());
        assertEquals(200, touched.statusCode());

        assertEquals(204, api.send("DELETE", "/v1/sessions/" + session.id(), null, session.auth()).statusCode());
        assertProblem(api.get("/v1/sessions/" + session.id(), session.auth()), 404, "not-found", null);
    }

    @Test
    void aSessionNeedsItsOwnTokenAndNeverRevealsAnother() {
        TestSession mine = api.openSession("acme");
        TestSession other = api.openSession("acme");
        TestSession otherTenant = api.openSession("globex");
        assertProblem(api.get("/v1/sessions/" + mine.id(), Map.of()), 404, "not-found", null);
        assertProblem(api.get("/v1/sessions/" + mine.id(), Map.of("Authorization", "Bearer not-a-token")), 404, "not-found", null);
        assertProblem(api.get("/v1/sessions/" + mine.id(), other.auth()), 404, "not-found", null);
        assertProblem(api.get("/v1/sessions/" + mine.id(), otherTenant.auth()), 404, "not-found", null);
        assertProblem(api.get("/v1/sessions/" + mine.id() + "/state", other.auth()), 404, "not-found", null);
        assertProblem(api.get("/v1/sessions/no-such-session", mine.auth()), 404, "not-found", null);
    }

    @Test
    void badSessionRequestsNameTheField() {
        assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\":\"acme\"}", Map.of()), 400, "invalid-argument", "user");
        assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\":\"a:b\",\"user\":\"ada\"}", Map.of()),
                400, "invalid-argument", "tenant");
        assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\":\"acme\",\"user\":\"ada\",\"ttlSeconds\":0}", Map.of()),
                400, "invalid-argument", "ttlSeconds");
        HttpResponse<String> malformed = api.send("POST", "/v1/sessions", "{\"tenant\": \"acme\", \"user\": }", Map.of());
        assertProblem(malformed, 400, "invalid-argument", "user");
        assertTrue(body(malformed).get("detail").toString().contains("line 1, column"), malformed.body());
        assertFalse(malformed.body().contains("at dev.") || malformed.body().contains("Exception"), malformed.body());
        assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\": \"acme\", \"user\": \"ada\", \"ttlSeconds\": \"soon\"}",
                Map.of()), 400, "invalid-argument", "ttlSeconds");
        assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\": \"acme\", \"user\": \"ada\", \"metadata\": {\"a\": {}}}",
                Map.of()), 400, "invalid-argument", null);
    }

    @Test
    void aBodyOfTheWrongKindOrMediaTypeIsNamedAsSuch() {
        for (String notAnObject : List.of("[]", "\"acme\"", "7")) {
            Map<String, Object> problem = assertProblem(api.send("POST", "/v1/sessions", notAnObject, Map.of()),
                    400, "invalid-argument", null);
            assertTrue(problem.get("detail").toString().contains("must be a JSON object"), problem.toString());
        }
        for (String nothing : List.of("", "null")) {
            Map<String, Object> problem = assertProblem(api.send("POST", "/v1/sessions", nothing, Map.of()),
                    400, "invalid-argument", null);
            assertTrue(problem.get("detail").toString().contains("JSON body"), problem.toString());
        }
        assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\":\"acme\",\"user\":\"ada\"}",
                Map.of("Content-Type", "text/plain")), 415, "unsupported-media-type", "Content-Type");
    }

    @Test
    void oversizedBodiesAnswer413() {
        String huge = "{\"tenant\":\"acme\",\"user\":\"" + "x".repeat(70_000) + "\"}";
        assertProblem(api.send("POST", "/v1/sessions", huge, Map.of()), 413, "too-large", null);
        TestSession session = api.openSession("acme");
        String bigDocument = "{\"blob\":\"" + "y".repeat(3000) + "\"}";
        assertProblem(api.send("PUT", "/v1/sessions/" + session.id() + "/state", bigDocument,
                with(session.auth(), "If-Match", "\"0\"")), 413, "too-large", "state");
    }

    @Test
    void unknownRoutesAreProblemsToo() {
        assertProblem(api.get("/v1/nothing-here", Map.of()), 404, "not-found", null);
    }

    // ---- session state -------------------------------------------------------------------------

    @Test
    void stateIsVersionedWithETagsAndIfMatch() {
        TestSession session = api.openSession("acme");
        String path = "/v1/sessions/" + session.id() + "/state";
        HttpResponse<String> initial = api.get(path, session.auth());
        assertEquals(200, initial.statusCode());
        assertEquals("\"0\"", initial.headers().firstValue("ETag").orElseThrow());
        assertEquals(Map.of(), body(initial));

        assertProblem(api.send("PUT", path, "{\"cart\":[1]}", session.auth()), 428, "precondition-required", "If-Match");
        HttpResponse<String> written = api.send("PUT", path, "{\"cart\":[1],\"name\":\"x\"}", with(session.auth(), "If-Match", "\"0\""));
        assertEquals(200, written.statusCode(), written.body());
        assertEquals("\"1\"", written.headers().firstValue("ETag").orElseThrow());
        assertProblem(api.send("PUT", path, "{\"cart\":[]}", with(session.auth(), "If-Match", "\"0\"")), 412, "version-conflict", "If-Match");
        assertProblem(api.send("PUT", path, "{\"cart\":", with(session.auth(), "If-Match", "\"1\"")), 400, "invalid-argument", "state");
        assertProblem(api.send("PUT", path, "{}", with(session.auth(), "If-Match", "yesterday")), 400, "invalid-argument", "If-Match");

        HttpResponse<String> patched = api.send("PATCH", path, "{\"name\":null,\"cart\":[2],\"extra\":{\"a\":1}}",
                with(session.auth(), "Content-Type", "application/merge-patch+json"));
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("\"2\"", patched.headers().firstValue("ETag").orElseThrow());
        assertEquals(Map.of("cart", List.of(2), "extra", Map.of("a", 1)), body(patched));
        assertProblem(api.send("PATCH", path, "{\"x\":1}", with(with(session.auth(), "Content-Type", "application/merge-patch+json"),
                "If-Match", "\"1\"")), 412, "version-conflict", "If-Match");
        assertEquals(body(patched), body(api.get(path, session.auth())));
    }

    // ---- intents and executions -----------------------------------------------------------------

    @Test
    void intentTypesAreListed() {
        HttpResponse<String> types = api.get("/v1/intent-types", Map.of());
        assertEquals(200, types.statusCode());
        List<Map<String, Object>> list = list(types);
        assertTrue(list.stream().anyMatch(type -> type.get("type").equals("trip-booking")
                && type.get("steps").equals(List.of("reserve-flight", "reserve-hotel", "charge-card"))), types.body());
        Map<?, ?> cpuWork = list.stream().filter(type -> type.get("type").equals("cpu-work")).findFirst().orElseThrow();
        Map<?, ?> millis = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) cpuWork.get("payloadSchema")).get("properties")).get("millis");
        assertEquals(5000, millis.get("maximum"), types.body());
    }

    @Test
    void anIntentRunsToCompletionAndAnIdempotentRepeatReturnsTheSameExecution() throws Exception {
        TestSession session = api.openSession("acme");
        Map<String, String> headers = with(session.auth(), "Idempotency-Key", "order-42");
        HttpResponse<String> accepted = api.send("POST", "/v1/sessions/" + session.id() + "/intents",
                "{\"type\":\"trip-booking\",\"payload\":{\"traveller\":\"ada\"}}", headers);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String execution = (String) body(accepted).get("executionId");
        String url = "/v1/sessions/" + session.id() + "/executions/" + execution;
        assertEquals(url, accepted.headers().firstValue("Location").orElseThrow());

        HttpResponse<String> repeat = api.send("POST", "/v1/sessions/" + session.id() + "/intents",
                "{\"type\":\"trip-booking\",\"payload\":{\"traveller\":\"ada\"}}", headers);
        assertEquals(execution, body(repeat).get("executionId"), "same key, same execution");
        assertProblem(api.send("POST", "/v1/sessions/" + session.id() + "/intents",
                "{\"type\":\"cpu-work\",\"payload\":{\"millis\":1}}", headers), 422, "idempotency-key-reused", "Idempotency-Key");

        Map<String, Object> status = awaitTerminal(session, url);
        assertEquals("COMPLETED", status.get("state"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) status.get("steps");
        assertEquals(3, steps.size());
        steps.forEach(step -> assertEquals("SUCCEEDED", step.get("status"), step.toString()));

        List<Map<String, Object>> events = list(api.get(url + "/events", session.auth()));
        assertEquals("STARTED", events.getFirst().get("type"));
        assertEquals("FINISHED", events.getLast().get("type"));

        HttpResponse<String> stream = api.get(url + "/stream", with(session.auth(), "Accept", "text/event-stream"));
        assertEquals(200, stream.statusCode());
        assertTrue(stream.body().contains("event:FINISHED") || stream.body().contains("event: FINISHED"), stream.body());
        assertTrue(stream.body().contains("id:0") || stream.body().contains("id: 0"), stream.body());
    }

    @Test
    void aFailingStepCompensatesInReverse() throws Exception {
        TestSession session = api.openSession("acme");
        String url = submit(session, "{\"type\":\"trip-booking\",\"payload\":{\"failAt\":\"charge-card\"}}");
        Map<String, Object> status = awaitTerminal(session, url);
        assertEquals("COMPENSATED", status.get("state"));
        List<Object> compensated = list(api.get(url + "/events", session.auth())).stream()
                .filter(event -> event.get("type").equals("STEP_COMPENSATED")).map(event -> event.get("step")).toList();
        assertEquals(List.of("reserve-hotel", "reserve-flight"), compensated);
    }

    @Test
    void cancelCompensates() throws Exception {
        TestSession session = api.openSession("acme");
        String url = submit(session, "{\"type\":\"cpu-work\",\"payload\":{\"millis\":3000}}");
        HttpResponse<String> cancel = api.send("POST", url + "/cancel", null, session.auth());
        assertEquals(202, cancel.statusCode(), cancel.body());
        Map<String, Object> status = awaitTerminal(session, url);
        assertTrue(List.of("CANCELLED", "COMPLETED").contains(status.get("state")), status.toString());
        assertEquals(true, status.get("cancelRequested"));
    }

    @Test
    void badIntentsAreRefusedWithTheField() {
        TestSession session = api.openSession("acme");
        String intents = "/v1/sessions/" + session.id() + "/intents";
        assertProblem(api.send("POST", intents, "{\"type\":\"teleport\"}", session.auth()), 422, "unknown-type", "type");
        assertProblem(api.send("POST", intents, "{\"payload\":{}}", session.auth()), 400, "invalid-argument", "type");
        assertProblem(api.send("POST", intents, "{\"type\":\"trip-booking\"}", Map.of()), 404, "not-found", null);
    }

    @Test
    void payloadsThatDoNotMatchTheTypesSchemaAreRefusedWithTheField() {
        TestSession session = api.openSession("acme");
        String intents = "/v1/sessions/" + session.id() + "/intents";
        for (String millis : List.of("0", "5001", "1.5", "\"200\"")) {
            assertProblem(api.send("POST", intents, "{\"type\":\"cpu-work\",\"payload\":{\"millis\":" + millis + "}}",
                    session.auth()), 400, "invalid-argument", "/payload/millis");
        }
        assertProblem(api.send("POST", intents, "{\"type\":\"trip-booking\",\"payload\":{\"failAt\":\"charge-crad\"}}",
                session.auth()), 400, "invalid-argument", "/payload/failAt");
        assertProblem(api.send("POST", intents, "{\"type\":\"trip-booking\",\"payload\":{\"traveller\":5}}",
                session.auth()), 400, "invalid-argument", "/payload/traveller");
        assertProblem(api.send("POST", intents, "{\"type\":\"noop-3\",\"payload\":[]}", session.auth()),
                400, "invalid-argument", "/payload");
        assertEquals(202, api.send("POST", intents, "{\"type\":\"cpu-work\",\"payload\":{\"millis\":1}}",
                session.auth()).statusCode());
    }

    @Test
    void executionsAreInvisibleToOtherSessionsAndTenants() throws Exception {
        TestSession owner = api.openSession("acme");
        TestSession sameTenant = api.openSession("acme");
        TestSession otherTenant = api.openSession("globex");
        String url = submit(owner, "{\"type\":\"trip-booking\"}");
        String execution = url.substring(url.lastIndexOf('/') + 1);
        assertProblem(api.get("/v1/sessions/" + sameTenant.id() + "/executions/" + execution, sameTenant.auth()),
                404, "not-found", null);
        assertProblem(api.get("/v1/sessions/" + otherTenant.id() + "/executions/" + execution, otherTenant.auth()),
                404, "not-found", null);
        assertProblem(api.send("POST", "/v1/sessions/" + sameTenant.id() + "/executions/" + execution + "/cancel", null,
                sameTenant.auth()), 404, "not-found", null);
        assertProblem(api.get("/v1/sessions/" + owner.id() + "/executions/" + "0".repeat(32), owner.auth()), 404, "not-found", null);
        awaitTerminal(owner, url);
    }

    @Test
    void openApiDocumentIsServed() {
        HttpResponse<String> document = api.get("/openapi/runtime-plane-v1.yml", Map.of());
        assertEquals(200, document.statusCode());
        assertTrue(document.body().contains("/v1/sessions/{sessionId}/intents"), document.body());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Map<String, Object> body(HttpResponse<String> response) {
        return ApiClient.map(response.body());
    }

    private static List<Map<String, Object>> list(HttpResponse<String> response) {
        return ApiClient.list(response.body());
    }
}
