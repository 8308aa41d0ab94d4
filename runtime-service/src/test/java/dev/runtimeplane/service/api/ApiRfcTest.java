package dev.runtimeplane.service.api;

import static dev.runtimeplane.service.testing.ApiClient.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.RawHttp;
import dev.runtimeplane.service.testing.RunningService;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each point of issue 13: the API answers the way the RFCs and a careful client expect. */
@MicronautTest
class ApiRfcTest extends RunningService {

    private final RawHttp raw = new RawHttp(apiPort);

    // ---- Idempotency-Key -----------------------------------------------------------------------

    @Test
    void anIdempotencyKeyIsCheckedAtTheEdge() throws Exception {
        TestSession session = api.openSession("acme");
        String intents = "/v1/sessions/" + session.id() + "/intents";
        String intent = "{\"type\":\"trip-booking\"}";
        for (String key : List.of("has space", "x".repeat(256), "tab\there")) {
            assertProblem(api.send("POST", intents, intent, with(session.auth(), "Idempotency-Key", key)),
                    400, "invalid-argument", "Idempotency-Key");
        }
        RawHttp.Response nonAscii = raw.send("POST", intents, Map.of("Authorization", "Bearer " + session.token(),
                "Content-Type", "application/json", "Idempotency-Key", "schlüssel"), intent.getBytes(StandardCharsets.UTF_8));
        assertProblem(nonAscii.status(), nonAscii.contentType(), nonAscii.body(), 400, "invalid-argument", "Idempotency-Key");
        HttpResponse<String> longest = api.send("POST", intents, intent, with(session.auth(), "Idempotency-Key", "k".repeat(255)));
        assertEquals(202, longest.statusCode(), longest.body());
    }

    @Test
    void anIdempotencyKeyReusedForADifferentRequestAnswers422() {
        TestSession session = api.openSession("acme");
        String intents = "/v1/sessions/" + session.id() + "/intents";
        Map<String, String> headers = with(session.auth(), "Idempotency-Key", "order-7");
        HttpResponse<String> first = api.send("POST", intents,
                "{\"type\":\"trip-booking\",\"payload\":{\"traveller\":\"ada\",\"nights\":2}}", headers);
        assertEquals(202, first.statusCode(), first.body());
        HttpResponse<String> reordered = api.send("POST", intents,
                "{\"payload\":{\"nights\":2,\"traveller\":\"ada\"},\"type\":\"trip-booking\"}", headers);
        assertEquals(202, reordered.statusCode(), "member order is not part of the fingerprint: " + reordered.body());
        assertEquals(ApiClient.map(first.body()).get("executionId"), ApiClient.map(reordered.body()).get("executionId"));

        assertProblem(api.send("POST", intents, "{\"type\":\"trip-booking\",\"payload\":{\"traveller\":\"bob\",\"nights\":2}}",
                headers), 422, "idempotency-key-reused", "Idempotency-Key");
        assertProblem(api.send("POST", intents, "{\"type\":\"cpu-work\",\"payload\":{\"millis\":1}}", headers),
                422, "idempotency-key-reused", "Idempotency-Key");
    }

    // ---- Server-sent events --------------------------------------------------------------------

    @Test
    void aReconnectAtOrPastTheEndOfAFinishedStreamEndsAtOnce() throws Exception {
        TestSession session = api.openSession("acme");
        String url = submit(session, "{\"type\":\"trip-booking\"}");
        awaitTerminal(session, url);
        int last = ApiClient.list(api.get(url + "/events", session.auth()).body()).size() - 1;
        Map<String, String> sse = with(session.auth(), "Accept", "text/event-stream");

        HttpResponse<String> resumed = api.get(url + "/stream", with(sse, "Last-Event-ID", String.valueOf(last - 1)));
        assertEquals(200, resumed.statusCode());
        assertTrue(resumed.body().contains("FINISHED"), resumed.body());
        for (String id : List.of(String.valueOf(last), String.valueOf(last + 5))) {
            HttpResponse<String> atEnd = api.get(url + "/stream", with(sse, "Last-Event-ID", id));
            assertEquals(204, atEnd.statusCode(), "Last-Event-ID " + id + ": " + atEnd.body());
            assertEquals("", atEnd.body());
        }
        for (String id : List.of("-1", "abc", "1.5", "99999999999999999999", "+1")) {
            assertProblem(api.get(url + "/stream", with(sse, "Last-Event-ID", id)), 400, "invalid-argument", "Last-Event-ID");
        }
    }

    // ---- JSON bodies ---------------------------------------------------------------------------

    @Test
    void duplicateMemberNamesAreRejectedOnEveryEndpoint() {
        assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\":\"a\",\"tenant\":\"b\",\"user\":\"ada\"}", Map.of()),
                400, "invalid-argument", "tenant");
        TestSession session = api.openSession("acme");
        assertProblem(api.send("POST", "/v1/sessions/" + session.id() + "/intents",
                "{\"type\":\"trip-booking\",\"type\":\"cpu-work\"}", session.auth()), 400, "invalid-argument", "type");
        assertProblem(api.send("POST", "/v1/sessions/" + session.id() + "/intents",
                "{\"type\":\"trip-booking\",\"payload\":{\"a\":1,\"a\":2}}", session.auth()), 400, "invalid-argument", "payload.a");
    }

    @Test
    void ttlSecondsIsAJsonIntegerWithinBounds() {
        for (String ttl : List.of("true", "1.5", "1.0", "1e3", "\"3600\"", "0", "-5", "9223372036854775807",
                "99999999999999999999999999", "1e400", "86401", "{}", "[]")) {
            assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\":\"acme\",\"user\":\"ada\",\"ttlSeconds\":" + ttl + "}",
                    Map.of()), 400, "invalid-argument", "ttlSeconds");
        }
        HttpResponse<String> created = api.send("POST", "/v1/sessions",
                "{\"tenant\":\"acme\",\"user\":\"ada\",\"ttlSeconds\":3600}", Map.of());
        assertEquals(201, created.statusCode(), created.body());
        String id = (String) ApiClient.map(created.body()).get("sessionId");
        String token = (String) ApiClient.map(created.body()).get("token");
        assertEquals(3600, ApiClient.map(api.get("/v1/sessions/" + id, Map.of("Authorization", "Bearer " + token)).body())
                .get("ttlSeconds"));
    }

    @Test
    void wrongTypesAndParserLimitsNameTheFieldWithoutInternals() {
        assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\":{\"x\":1},\"user\":\"ada\"}", Map.of()),
                400, "invalid-argument", "tenant");
        assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\":\"acme\",\"user\":\"ada\",\"metadata\":[1]}", Map.of()),
                400, "invalid-argument", "metadata");
        assertProblem(api.send("POST", "/v1/sessions", "[".repeat(5000) + "]".repeat(5000), Map.of()),
                400, "invalid-argument", null);
        assertProblem(api.send("POST", "/v1/sessions", "{\"tenant\":", Map.of()), 400, "invalid-argument", null);
        assertProblem(api.send("POST", "/v1/sessions", "", Map.of()), 400, "invalid-argument", null);
    }

    @Test
    void stepErrorsShowNoJavaClassNames() throws Exception {
        TestSession session = api.openSession("acme");
        String url = submit(session, "{\"type\":\"trip-booking\",\"payload\":{\"failAt\":\"charge-card\"}}");
        awaitTerminal(session, url);
        HttpResponse<String> status = api.get(url, session.auth());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) ApiClient.map(status.body()).get("steps");
        assertEquals("charge-card failed as the payload asked (failAt)", steps.get(2).get("lastError"),
                "the step's message, without the exception's class name");
        assertNoInternals(status.body());
        assertNoInternals(api.get(url + "/events", session.auth()).body());
    }

    // ---- HTTP framing --------------------------------------------------------------------------

    @Test
    void aTooLongRequestLineIs414AndTooLargeHeadersAre431() throws Exception {
        RawHttp.Response longLine = raw.send("GET", "/v1/intent-types?q=" + "a".repeat(5_000), Map.of(), new byte[0]);
        assertProblem(longLine.status(), longLine.contentType(), longLine.body(), 414, "uri-too-long", null);
        RawHttp.Response bigHeaders = raw.send("GET", "/v1/intent-types", Map.of("X-Big", "b".repeat(9_000)), new byte[0]);
        assertProblem(bigHeaders.status(), bigHeaders.contentType(), bigHeaders.body(), 431, "headers-too-large", null);
        assertEquals(200, management.get("/health/live", Map.of()).statusCode());
    }

    @Test
    void aWrongMethodIs405WithItsOwnTypeAndAllow() {
        HttpResponse<String> wrong = api.send("DELETE", "/v1/intent-types", null, Map.of());
        Map<String, Object> problem = assertProblem(wrong, 405, "method-not-allowed", null);
        assertEquals("Method not allowed", problem.get("title"));
        assertTrue(wrong.headers().firstValue("Allow").orElse("").contains("GET"), wrong.headers().map().toString());
    }

    // ---- Conditional requests ------------------------------------------------------------------

    @Test
    void ifNoneMatchOnGetAnswers304AndIfMatchUsesStrongComparison() {
        TestSession session = api.openSession("acme");
        String path = "/v1/sessions/" + session.id() + "/state";
        HttpResponse<String> written = api.send("PUT", path, "{\"cart\":[1]}", with(session.auth(), "If-Match", "\"0\""));
        assertEquals(200, written.statusCode(), written.body());
        String etag = written.headers().firstValue("ETag").orElseThrow();

        for (String tag : List.of(etag, "W/" + etag, "*", "\"9\", " + etag)) {
            HttpResponse<String> notModified = api.get(path, with(session.auth(), "If-None-Match", tag));
            assertEquals(304, notModified.statusCode(), tag);
            assertEquals("", notModified.body());
            assertEquals(etag, notModified.headers().firstValue("ETag").orElseThrow());
        }
        assertEquals(200, api.get(path, with(session.auth(), "If-None-Match", "\"9\"")).statusCode());
        assertProblem(api.get(path, with(session.auth(), "If-None-Match", "soon")), 400, "invalid-argument", "If-None-Match");

        assertProblem(api.send("PUT", path, "{\"cart\":[2]}", with(session.auth(), "If-Match", "W/" + etag)),
                412, "version-conflict", "If-Match");
        assertProblem(api.send("PATCH", path, "{\"cart\":[2]}", with(session.auth(), "If-Match", "W/" + etag)),
                412, "version-conflict", "If-Match");
        HttpResponse<String> any = api.send("PUT", path, "{\"cart\":[3]}", with(session.auth(), "If-Match", "*"));
        assertEquals(200, any.statusCode(), any.body());
        HttpResponse<String> listed = api.send("PATCH", path, "{\"name\":\"x\"}",
                with(session.auth(), "If-Match", "\"77\", " + any.headers().firstValue("ETag").orElseThrow()));
        assertEquals(200, listed.statusCode(), listed.body());
    }

    // ---- Authentication ------------------------------------------------------------------------

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        TestSession session = api.openSession("acme");
        for (String scheme : List.of("bearer", "BEARER", "bEaReR")) {
            HttpResponse<String> get = api.get("/v1/sessions/" + session.id(), Map.of("Authorization", scheme + " " + session.token()));
            assertEquals(200, get.statusCode(), scheme + ": " + get.body());
        }
    }

    // ---- Cancel --------------------------------------------------------------------------------

    @Test
    void aCancelledExecutionEndsCancelledAndTheInterruptedStepIsNotSucceeded() throws Exception {
        TestSession session = api.openSession("acme");
        String url = submit(session, "{\"type\":\"cpu-work\",\"payload\":{\"millis\":5000}}");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!stepStatus(session, url).equals("RUNNING")) {
            assertTrue(System.nanoTime() < deadline, "the step never started");
            Thread.sleep(20);
        }
        HttpResponse<String> cancel = api.send("POST", url + "/cancel", null, session.auth());
        assertEquals(202, cancel.statusCode(), cancel.body());
        Map<String, Object> status = awaitTerminal(session, url);
        assertEquals("CANCELLED", status.get("state"), status.toString());
        assertEquals("CANCELLED", status.get("compensationCause"), status.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> step = ((List<Map<String, Object>>) status.get("steps")).getFirst();
        assertEquals("FAILED", step.get("status"), "interrupted work is not a success: " + step);
        assertEquals(null, step.get("result"), step.toString());
        assertProblem(api.send("POST", url + "/cancel", null, session.auth()), 409, "conflict", "state");
    }

    @SuppressWarnings("unchecked")
    private String stepStatus(TestSession session, String url) {
        return (String) ((List<Map<String, Object>>) ApiClient.map(api.get(url, session.auth()).body()).get("steps"))
                .getFirst().get("status");
    }

    @Test
    void cancellingAFinishedExecutionIs409WithItsState() throws Exception {
        TestSession session = api.openSession("acme");
        String url = submit(session, "{\"type\":\"trip-booking\"}");
        awaitTerminal(session, url);
        Map<String, Object> problem = assertProblem(api.send("POST", url + "/cancel", null, session.auth()),
                409, "conflict", "state");
        assertTrue(((String) problem.get("detail")).contains("COMPLETED"), problem.toString());
        assertFalse(ApiClient.map(api.get(url, session.auth()).body()).get("cancelRequested").equals(true));
    }
}
