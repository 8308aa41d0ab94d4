package dev.runtimeplane.service.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.lifecycle.DrainState;
import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.testkit.FreePorts;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.testkit.TempDirectories;
import io.micronaut.core.type.Argument;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The management server as the application wires it: real HTTP on an ephemeral port, against a real
 * Redis and WAL. Draining is one-way, so that test runs last.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementServerTest implements TestPropertyProvider {

    private static final ObjectMapper JSON = ObjectMapper.getDefault();
    @Inject
    ManagementServer server;

    @Inject
    EmbeddedServer apiServer;

    @Inject
    DrainState drainState;

    private ApiClient management;
    private ApiClient api;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "micronaut.server.port", "-1", // a port the OS picks while binding: no race with other processes
                "endpoints.all.port", "0",
                "endpoints.all.host", "127.0.0.1",
                "runtime.admin.port", String.valueOf(FreePorts.any()),
                "runtime.redis.uri", RedisTestKit.shared().uri(),
                "runtime.redis.key-prefix", "mgmt-" + System.nanoTime(),
                "runtime.wal.dir", TempDirectories.create("mgmt-wal").toString());
    }

    @BeforeAll
    void awaitReady() throws InterruptedException {
        assertTrue(server.port() > 0, "listening on an ephemeral port");
        management = new ApiClient("http://127.0.0.1:" + server.port());
        api = new ApiClient("http://127.0.0.1:" + apiServer.getPort());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (management.get("/health/ready", Map.of()).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "not ready: " + management.get("/health", Map.of()).body());
            Thread.sleep(50);
        }
    }

    @Test
    @Order(1)
    void readyLiveAndDetailedHealthAnswer200() {
        HttpResponse<String> ready = management.get("/health/ready", Map.of());
        assertEquals(200, ready.statusCode());
        assertEquals(Map.of("status", "UP"), body(ready));
        assertEquals("application/json", ready.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(String.valueOf(ready.body().getBytes(StandardCharsets.UTF_8).length),
                ready.headers().firstValue("Content-Length").orElseThrow());

        HttpResponse<String> live = management.get("/health/live", Map.of());
        assertEquals(200, live.statusCode());
        assertEquals(Map.of("status", "UP"), body(live));

        HttpResponse<String> health = management.get("/health", Map.of());
        assertEquals(200, health.statusCode());
        Map<String, Object> detailed = body(health);
        assertEquals("UP", detailed.get("status"));
        assertEquals(true, detailed.get("ready"));
        @SuppressWarnings("unchecked")
        Map<String, Object> components = (Map<String, Object>) detailed.get("components");
        assertTrue(components.keySet().containsAll(List.of("wal", "stateSurface", "sagaCoordinator")),
                components.keySet().toString());
    }

    @Test
    @Order(2)
    void headAnswersWithoutABody() {
        HttpResponse<String> head = management.send("HEAD", "/health/ready", null, Map.of());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("15", head.headers().firstValue("Content-Length").orElseThrow(), "the GET body's length");
    }

    @Test
    @Order(3)
    void prometheusExposesJvmProcessAndRuntimeMeters() {
        HttpResponse<String> scrape = management.get("/prometheus", Map.of());
        assertEquals(200, scrape.statusCode());
        assertEquals(ManagementRoutes.PROMETHEUS_CONTENT_TYPE, scrape.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(scrape.body().contains("\njvm_threads_live_threads"), "jvm binder");
        assertTrue(scrape.body().contains("\nprocess_uptime_seconds"), "uptime binder");
        assertTrue(Pattern.compile("(?m)^runtime_wal_appends_total").matcher(scrape.body()).find(), "runtime meters");
        assertTrue(Pattern.compile("(?m)^runtime_sessions_journaled ").matcher(scrape.body()).find(), "session journal meters");
        assertTrue(Pattern.compile("(?m)^runtime_outbound_connections_max 64").matcher(scrape.body()).find(),
                "declarative intents' outbound pool meters");
    }

    @Test
    @Order(4)
    void unknownPathsAre404AndOtherMethods405() {
        HttpResponse<String> missing = management.get("/health/nothing?x=1", Map.of());
        assertEquals(404, missing.statusCode());
        assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(404, body(missing).get("status"));
        assertTrue(body(missing).get("detail").toString().contains("/health/nothing"), missing.body());

        HttpResponse<String> post = management.send("POST", "/health/ready", "{}", Map.of());
        assertEquals(405, post.statusCode());
        assertEquals(405, body(post).get("status"));
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    @Order(5)
    void theApiPortNoLongerServesManagement() {
        for (String path : List.of("/health", "/health/ready", "/health/live", "/prometheus")) {
            assertEquals(404, api.get(path, Map.of()).statusCode(), path);
        }
    }

    @Test
    @Order(6)
    void pipelinedRequestsAreAnsweredInOrderEvenBehindAScrape() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String requests = "GET /prometheus HTTP/1.1\r\nHost: m\r\n\r\n"
                    + "GET /health/ready HTTP/1.1\r\nHost: m\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: m\r\n\r\n"
                    + "GET /health/live HTTP/1.1\r\nHost: m\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answers = readToEnd(socket.getInputStream());
            Matcher statusLines = Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(answers);
            Matcher contentTypes = Pattern.compile("(?i)content-type: ([^\\r]+)").matcher(answers);
            List<String> statuses = statusLines.results().map(result -> result.group(1)).toList();
            List<String> types = contentTypes.results().map(result -> result.group(1)).toList();
            assertEquals(List.of("200", "200", "404", "200"), statuses, answers);
            assertEquals(List.of(ManagementRoutes.PROMETHEUS_CONTENT_TYPE, "application/json",
                    "application/problem+json", "application/json"), types);
        }
    }

    @Test
    @Order(100)
    void readinessTurns503WhileDrainingAndLivenessStays200() {
        drainState.beginDraining();
        HttpResponse<String> ready = management.get("/health/ready", Map.of());
        assertEquals(503, ready.statusCode());
        assertEquals(Map.of("status", "DOWN", "reasons", List.of("draining")), body(ready));
        assertEquals(200, management.get("/health/live", Map.of()).statusCode());
        HttpResponse<String> health = management.get("/health", Map.of());
        assertEquals(200, health.statusCode(), "draining is not DOWN");
        assertEquals(false, body(health).get("ready"));
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> body(HttpResponse<String> response) {
        try {
            return JSON.readValue(response.body(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }
}
