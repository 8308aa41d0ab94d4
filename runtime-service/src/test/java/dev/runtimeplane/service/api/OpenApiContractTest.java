package dev.runtimeplane.service.api;

import static dev.runtimeplane.service.testing.ApiClient.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.RunningService;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The served OpenAPI document against the service itself, route by route: the same methods and
 * paths as the router serves, every status a real request gets is documented, and no framework
 * class is a schema.
 */
@MicronautTest
class OpenApiContractTest extends RunningService {

    private static final String DOCUMENT = "/openapi/runtime-plane-v1.yml";

    @Inject
    Router router;

    /**
     * HEAD is served implicitly for every GET (RFC 9110) and not listed, as is usual in OpenAPI; only the
     * public API (/v1/...) is in this document.
     */
    @Test
    void theDocumentListsExactlyTheRoutesTheServiceServes() {
        Set<String> served = router.uriRoutes()
                .filter(route -> !route.getHttpMethodName().equals("HEAD"))
                .filter(route -> route.getUriMatchTemplate().toPathString().startsWith("/v1/"))
                .map(route -> route.getHttpMethodName() + " " + route.getUriMatchTemplate().toPathString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(served, new TreeSet<>(documentedStatuses().keySet()));
    }

    @Test
    void everyStatusARealRequestGetsIsDocumented() throws Exception {
        Map<String, Set<String>> documented = documentedStatuses();
        Map<String, List<Supplier<HttpResponse<String>>>> calls = calls();
        assertEquals(documented.keySet(), calls.keySet(), "every route has calls in this test");
        List<String> undocumented = new ArrayList<>();
        calls.forEach((route, requests) -> requests.forEach(request -> {
            HttpResponse<String> response = request.get();
            if (!documented.get(route).contains(String.valueOf(response.statusCode()))) {
                undocumented.add(route + " answered " + response.statusCode() + " (documented: " + documented.get(route)
                        + "): " + response.body());
            }
        }));
        assertTrue(undocumented.isEmpty(), String.join("\n", undocumented));
    }

    @Test
    void noFrameworkClassIsASchema() {
        @SuppressWarnings("unchecked")
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) document().get("components")).get("schemas");
        for (String name : schemas.keySet()) {
            assertTrue(name.equals("Problem") || name.matches("(Session|Intent|Execution)Dtos\\.[A-Za-z]+"),
                    "schema " + name + " is not one of the API's own types");
        }
        String text = api.get(DOCUMENT, Map.of()).body();
        for (String framework : List.of("HttpResponse", "Cookie", "ConversionService", "JsonNode", "MutableAttributeHolder")) {
            assertFalse(text.contains(framework), framework + " in the document");
        }
    }

    /** Real requests per route: the success path and the errors a client commonly meets. */
    private Map<String, List<Supplier<HttpResponse<String>>>> calls() throws Exception {
        TestSession session = api.openSession("acme");
        TestSession closing = api.openSession("acme");
        String s = "/v1/sessions/" + session.id();
        String finished = submit(session, "{\"type\":\"trip-booking\"}");
        awaitTerminal(session, finished);
        String running = submit(session, "{\"type\":\"cpu-work\",\"payload\":{\"millis\":3000}}");
        String state = s + "/state";
        String execution = "/v1/sessions/{sessionId}/executions/{executionId}";
        Map<String, String> anyone = Map.of();
        Map<String, List<Supplier<HttpResponse<String>>>> calls = new LinkedHashMap<>();
        calls.put("GET /v1/intent-types", List.of(() -> api.get("/v1/intent-types", anyone)));
        calls.put("POST /v1/sessions", List.of(
                () -> api.send("POST", "/v1/sessions", "{\"tenant\":\"acme\",\"user\":\"ada\"}", anyone),
                () -> api.send("POST", "/v1/sessions", "{\"tenant\":\"acme\"}", anyone)));
        calls.put("GET /v1/sessions/{sessionId}", List.of(() -> api.get(s, session.auth()), () -> api.get(s, anyone)));
        calls.put("DELETE /v1/sessions/{sessionId}", List.of(
                () -> api.send("DELETE", "/v1/sessions/" + closing.id(), null, closing.auth()),
                () -> api.send("DELETE", s, null, anyone)));
        calls.put("POST /v1/sessions/{sessionId}/touch", List.of(
                () -> api.send("POST", s + "/touch", null, session.auth()), () -> api.send("POST", s + "/touch", null, anyone)));
        calls.put("POST /v1/sessions/{sessionId}/intents", List.of(
                () -> api.send("POST", s + "/intents", "{\"type\":\"trip-booking\"}", session.auth()),
                () -> api.send("POST", s + "/intents", "{}", session.auth()),
                () -> api.send("POST", s + "/intents", "{\"type\":\"teleport\"}", session.auth()),
                () -> api.send("POST", s + "/intents", "{\"type\":\"trip-booking\"}", anyone)));
        calls.put("GET " + execution, List.of(() -> api.get(finished, session.auth()), () -> api.get(finished, anyone)));
        calls.put("GET " + execution + "/events", List.of(() -> api.get(finished + "/events", session.auth())));
        calls.put("POST " + execution + "/cancel", List.of(
                () -> api.send("POST", running + "/cancel", null, session.auth()),
                () -> api.send("POST", finished + "/cancel", null, session.auth())));
        calls.put("GET " + execution + "/stream", List.of(
                () -> api.get(finished + "/stream", session.auth()),
                () -> api.get(finished + "/stream", with(session.auth(), "Last-Event-ID", "999")),
                () -> api.get(finished + "/stream", with(session.auth(), "Last-Event-ID", "-1"))));
        calls.put("GET /v1/sessions/{sessionId}/state", List.of(
                () -> api.get(state, session.auth()),
                () -> api.get(state, with(session.auth(), "If-None-Match", "\"0\""))));
        calls.put("PUT /v1/sessions/{sessionId}/state", List.of(
                () -> api.send("PUT", state, "{\"a\":1}", with(session.auth(), "If-Match", "\"0\"")),
                () -> api.send("PUT", state, "{\"a\":1}", with(session.auth(), "If-Match", "\"0\"")),
                () -> api.send("PUT", state, "{\"a\":1}", session.auth())));
        calls.put("PATCH /v1/sessions/{sessionId}/state", List.of(
                () -> api.send("PATCH", state, "{\"b\":1}", session.auth()),
                () -> api.send("PATCH", state, "{\"b\":", session.auth())));
        return calls;
    }

    /** "METHOD /path" to the status codes the document lists for it. */
    @SuppressWarnings("unchecked")
    private Map<String, Set<String>> documentedStatuses() {
        Map<String, Set<String>> routes = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) document().get("paths")).forEach((path, operations) ->
                operations.forEach((method, operation) -> routes.put(method.toUpperCase(Locale.ROOT) + " " + path,
                        new TreeSet<>(((Map<Object, Object>) ((Map<String, Object>) operation).get("responses")).keySet()
                                .stream().map(String::valueOf).toList()))));
        return routes;
    }

    private Map<String, Object> document() {
        HttpResponse<String> document = api.get(DOCUMENT, Map.of());
        assertEquals(200, document.statusCode());
        return new Yaml().load(document.body());
    }
}
