package dev.runtimeplane.service.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.testkit.FreePorts;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.testkit.TempDirectories;
import io.micronaut.test.support.TestPropertyProvider;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the API tests that run the real service in this JVM (annotate the subclass
 * {@code @MicronautTest}): a real Redis, a real WAL, the API and management ports picked free.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RunningService implements TestPropertyProvider {

    /** What a response must never show: Java class names, packages, framework or parser messages. */
    private static final Pattern INTERNALS = Pattern.compile(
            "dev\\.runtimeplane|java\\.|io\\.micronaut|com\\.fasterxml|io\\.netty|Exception|\\$[A-Z]"
                    + "|Failed to convert|StreamReadConstraints|Jackson|Serde|Argument \\[");

    protected final int apiPort = FreePorts.any();
    protected final int managementPort = FreePorts.any();
    protected final ApiClient api = new ApiClient("http://127.0.0.1:" + apiPort);
    protected final ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);

    @Override
    public Map<String, String> getProperties() {
        // One tenant sends each test's requests; the request rate limit is AdmissionLoadTest's subject.
        return Map.ofEntries(
                Map.entry("runtime.limits.tenant-requests-per-second", "100000"),
                Map.entry("runtime.limits.tenant-request-burst", "100000"),
                Map.entry("micronaut.server.port", String.valueOf(apiPort)),
                Map.entry("endpoints.all.port", String.valueOf(managementPort)),
                Map.entry("runtime.admin.port", String.valueOf(FreePorts.any())),
                Map.entry("micronaut.server.max-request-size", "65536"),
                Map.entry("runtime.examples.enabled", "true"),
                Map.entry("runtime.redis.uri", RedisTestKit.shared().uri()),
                Map.entry("runtime.redis.key-prefix", "api" + Long.toString(System.nanoTime(), 36)),
                Map.entry("runtime.wal.dir", TempDirectories.create("api-wal").toString()),
                Map.entry("runtime.sessions.max-state-bytes", "2048"),
                Map.entry("runtime.auth.api-keys", TestCredentials.PROVISIONED));
    }

    @BeforeAll
    void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (management.get("/health/ready", Map.of()).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "not ready: " + management.get("/health", Map.of()).body());
            Thread.sleep(50);
        }
    }

    protected String submit(TestSession session, String intent) {
        HttpResponse<String> accepted = api.send("POST", "/v1/sessions/" + session.id() + "/intents", intent, session.auth());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return accepted.headers().firstValue("Location").orElseThrow();
    }

    protected Map<String, Object> awaitTerminal(TestSession session, String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> status = api.get(url, session.auth());
            assertEquals(200, status.statusCode(), status.body());
            Map<String, Object> body = ApiClient.map(status.body());
            if (Boolean.TRUE.equals(body.get("terminal"))) {
                return body;
            }
            assertTrue(System.nanoTime() < deadline, "not terminal in time: " + body);
            Thread.sleep(50);
        }
    }

    /** An RFC 9457 problem with this status, stable type and (when not null) field, and no internals. */
    public static Map<String, Object> assertProblem(HttpResponse<String> response, int status, String code, String field) {
        return assertProblem(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), status, code, field);
    }

    public static Map<String, Object> assertProblem(int actualStatus, String contentType, String body, int status,
                                                    String code, String field) {
        assertEquals(status, actualStatus, body);
        assertEquals("application/problem+json", contentType, body);
        Map<String, Object> problem = ApiClient.map(body);
        assertEquals("https://runtimeplane.dev/problems/" + code, problem.get("type"), body);
        assertEquals(status, problem.get("status"), body);
        assertNotNull(problem.get("title"), body);
        assertNotNull(problem.get("detail"), body);
        if (field != null) {
            assertEquals(field, problem.get("field"), body);
        }
        assertNoInternals(body);
        return problem;
    }

    public static void assertNoInternals(String body) {
        assertFalse(INTERNALS.matcher(body).find(), "internals in the response: " + body);
    }
}
