package dev.runtimeplane.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.declarative.TestService.Reply;
import dev.runtimeplane.saga.CancellationSignal;
import dev.runtimeplane.saga.StepContext;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How one call's outcome is classified (success, retry, fail at once), on a real socket. */
class HttpStepRunnerTest {

    private TestService service;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        service = new TestService(request -> Reply.json(200, "{\"ok\":true}"));
    }

    @AfterEach
    void stop() {
        release.countDown();
        service.close();
    }

    private String call(String callJson, OutboundPolicy.Builder policy, String payload) {
        return call(callJson, policy, payload, "10s");
    }

    private String call(String callJson, OutboundPolicy.Builder policy, String payload, String timeout) {
        OutboundPolicy built = policy.build();
        IntentDefinition definition = new DefinitionParser(built).parse("t.json", """
                {"intentType": "probe", "version": 1, "examplePayload": {"id": "x"},
                 "steps": [{"name": "look", "timeout": "%s", "action": %s}]}
                """.formatted(timeout, callJson.replace("$URL", service.url()))).definition();
        try (OutboundHttpClient client = new OutboundHttpClient(built)) {
            HttpStepRunner runner = new HttpStepRunner(client, built, name -> Optional.empty(), SessionMetadataSource.NONE);
            StepContext context = new StepContext(TenantId.of("t"), SessionId.of("s"), ExecutionId.of("e-1"), "look",
                    payload, Map.of(), "e-1:look", 1, false, new CancellationSignal(), 3);
            return runner.run(definition.steps().getFirst().action(), definition.steps().getFirst().timeout(), context);
        }
    }

    private String get(String path) {
        return call("{\"method\": \"GET\", \"url\": \"$URL" + path + "\"}", Definitions.allowing(service.url()),
                "{\"id\": \"a/b c?d\"}");
    }

    @Test
    void aSuccessRecordsTheBodyAndTemplatedPathValuesAreEncoded() {
        assertEquals("{\"ok\":true}", get("/items/{% payload.id %}"));
        assertEquals("/items/a%2Fb%20c%3Fd", service.requests().getFirst().path());
        service.otherwise(request -> new Reply(204, Map.of(), ""));
        assertNull(get("/empty"));
    }

    @Test
    void a503IsRetriedAfterItsRetryAfterAndA404FailsAtOnce() {
        service.otherwise(request -> new Reply(503, Map.of("Retry-After", "3"), "busy"));
        HttpStepException.Retryable busy = assertThrows(HttpStepException.Retryable.class, () -> get("/x"));
        assertEquals(Duration.ofSeconds(3), busy.retryAfter());
        assertTrue(busy.getMessage().contains("answered 503: busy"), busy.getMessage());
        service.otherwise(request -> Reply.json(500, "{}"));
        assertNull(assertThrows(HttpStepException.Retryable.class, () -> get("/x")).retryAfter());
        service.otherwise(request -> Reply.json(404, "{\"error\":\"no such item\"}"));
        assertTrue(assertThrows(HttpStepException.Permanent.class, () -> get("/x")).getMessage().contains("answered 404"));
        String date = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration untilDate = HttpStepRunner.retryAfter(date);
        assertTrue(untilDate.toSeconds() > 20 && untilDate.toSeconds() <= 30, untilDate::toString);
    }

    @Test
    void aLargeErrorPageIsCutNotRefused() {
        service.otherwise(request -> new Reply(503, Map.of(), "<html>" + "x".repeat(5_000) + "</html>"));
        HttpStepException.Retryable busy = assertThrows(HttpStepException.Retryable.class, () -> call(
                "{\"method\": \"GET\", \"url\": \"$URL/x\"}", Definitions.allowing(service.url()).maxResponseBytes(1_000), "{}"));
        assertTrue(busy.getMessage().contains("answered 503: <html>xxx"), busy.getMessage());
    }

    @Test
    void theResponsesSettingReclassifies() {
        service.otherwise(request -> Reply.json(409, "{}"));
        String settings = "{\"method\": \"GET\", \"url\": \"$URL/x\", \"responses\": {\"success\": [\"2xx\", \"409\"],"
                + " \"retry\": [\"503\"]}}";
        assertEquals("{}", call(settings, Definitions.allowing(service.url()), "{}"));
        service.otherwise(request -> Reply.json(500, "{}"));
        assertThrows(HttpStepException.Permanent.class, () -> call(settings, Definitions.allowing(service.url()), "{}"));
    }

    @Test
    void aTimeoutFailsAtOnceUnlessTimeoutsAreRetried() {
        service.otherwise(request -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.json(200, "{}");
        });
        HttpStepException.Permanent timedOut = assertThrows(HttpStepException.Permanent.class, () -> call(
                "{\"method\": \"GET\", \"url\": \"$URL/slow\"}", Definitions.allowing(service.url()), "{}", "300ms"));
        assertTrue(timedOut.getMessage().contains("no response within 300 ms"), timedOut.getMessage());
        assertThrows(HttpStepException.Retryable.class, () -> call(
                "{\"method\": \"GET\", \"url\": \"$URL/slow\", \"responses\": {\"retryTimeouts\": true}}",
                Definitions.allowing(service.url()), "{}", "300ms"));
    }

    @Test
    void aRefusedConnectionIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        HttpStepException.Retryable refused = assertThrows(HttpStepException.Retryable.class, () -> call(
                "{\"method\": \"GET\", \"url\": \"" + url + "/x\"}", Definitions.allowing(url), "{}"));
        assertTrue(refused.getMessage().contains("connection failed"), refused.getMessage());
    }

    @Test
    void aConnectTimeoutIsAConnectionErrorAndRetried() throws Exception {
        // A listening socket that never accepts: once its backlog is full the kernel drops new SYNs.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            java.util.List<java.net.Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    java.net.Socket filler = new java.net.Socket();
                    try {
                        filler.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(filler);
                    } catch (java.io.IOException backlogFull) {
                        filler.close();
                        break;
                    }
                }
                String url = "http://127.0.0.1:" + full.getLocalPort();
                HttpStepException.Retryable e = assertThrows(HttpStepException.Retryable.class, () -> call(
                        "{\"method\": \"GET\", \"url\": \"" + url + "/x\"}",
                        Definitions.allowing(url).connectTimeout(Duration.ofMillis(300)), "{}"));
                assertTrue(e.getMessage().contains("connection failed") && e.getMessage().contains("ConnectTimeout"),
                        e.getMessage());
            } finally {
                for (java.net.Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void oversizedResponsesAndResultsFailAtOnce() {
        service.otherwise(request -> Reply.json(200, "{\"blob\":\"" + "x".repeat(2_000) + "\",\"id\":7}"));
        HttpStepException.Permanent body = assertThrows(HttpStepException.Permanent.class, () -> call(
                "{\"method\": \"GET\", \"url\": \"$URL/x\"}", Definitions.allowing(service.url()).maxResponseBytes(1_000), "{}"));
        assertTrue(body.getMessage().contains("the limit is 1000"), body.getMessage());
        HttpStepException.Permanent result = assertThrows(HttpStepException.Permanent.class, () -> call(
                "{\"method\": \"GET\", \"url\": \"$URL/x\"}", Definitions.allowing(service.url()).maxResultBytes(500), "{}"));
        assertTrue(result.getMessage().contains("the limit is 500"), result.getMessage());
        assertEquals("7", call("{\"method\": \"GET\", \"url\": \"$URL/x\", \"result\": \"body.id\"}",
                Definitions.allowing(service.url()).maxResultBytes(500), "{}"));
    }
}
