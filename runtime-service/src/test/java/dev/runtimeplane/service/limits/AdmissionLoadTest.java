package dev.runtimeplane.service.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.RunningService;
import dev.runtimeplane.service.testing.TestCredentials;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every admission limit reached under real concurrent load (many client threads, real HTTP, real Redis,
 * real WAL): past a tenant limit 429 {@code tenant-limit} naming the limit, past a replica limit 503
 * {@code overloaded}, always with Retry-After, and never any other 5xx. Limits are set low so a test
 * reaches them with a few dozen requests; each test uses tenants of its own.
 */
@MicronautTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionLoadTest extends RunningService {

    private static final int THREADS = 16;
    private static final int TENANT_EXECUTIONS = 3;
    private static final int TENANT_SESSIONS = 5;
    private static final String LONG_WORK = "{\"type\":\"cpu-work\",\"payload\":{\"millis\":2000}}";
    private static final AtomicInteger TENANTS = new AtomicInteger();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.putAll(Map.of(
                "runtime.saga.max-executions", "8",
                "runtime.limits.starts-in-flight", "3",
                "runtime.limits.stream-clients", "2",
                "runtime.limits.tenant-starts-in-flight", "2",
                "runtime.limits.tenant-executions", String.valueOf(TENANT_EXECUTIONS),
                "runtime.limits.tenant-sessions", String.valueOf(TENANT_SESSIONS),
                "runtime.limits.tenant-requests-per-second", "5",
                "runtime.limits.tenant-request-burst", "40",
                "test.held-work.enabled", "true"));
        return properties;
    }

    @Test
    @Order(1)
    void aTenantPastItsExecutionsInFlightGets429WhileItsEarlierOnesRun() throws Exception {
        TestSession session = api.openSession(nextTenant());
        try {
            List<HttpResponse<String>> answers = load(THREADS, 2, i -> post(session, HeldWork.INTENT));

            assertOnly(answers, Set.of(202, 429));
            long accepted = answers.stream().filter(a -> a.statusCode() == 202).count();
            assertTrue(accepted >= 1 && accepted <= TENANT_EXECUTIONS + 2, "accepted " + accepted); // + its starts in flight
            // Nothing finishes while held: one at a time, the tenant fills up to its limit and is then refused.
            HttpResponse<String> answer = post(session, HeldWork.INTENT);
            for (long held = accepted; answer.statusCode() == 202 && held < TENANT_EXECUTIONS; held++) {
                answer = post(session, HeldWork.INTENT);
            }
            assertProblem(answer, 429, "tenant-limit", null);
            assertEquals("executions-in-flight", limitOf(answer), answer.body());
            assertRetryAfter(answer);
        } finally {
            HeldWork.releaseAll();
        }
    }

    @Test
    @Order(2)
    void eventStreamsPastTheReplicaLimitGet503() throws Exception {
        TestSession session = api.openSession(nextTenant());
        String execution = awaitAccepted(session);
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<Stream<String>>>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) { // the limit: both are open once their headers arrive
                CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + apiPort + execution + "/stream"))
                        .header("Authorization", "Bearer " + session.token()).build(), HttpResponse.BodyHandlers.ofLines());
                open.add(stream);
                assertEquals(200, stream.get().statusCode());
            }
            HttpResponse<String> third = api.get(execution + "/stream", session.auth());
            assertProblem(third, 503, "overloaded", null);
            assertRetryAfter(third);
        } finally {
            open.forEach(stream -> stream.thenAccept(response -> response.body().close()));
        }
    }

    @Test
    @Order(3)
    void manyTenantsAtOnceFillTheReplicaAndGet503() throws Exception {
        List<TestSession> sessions = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            sessions.add(api.openSession(nextTenant()));
        }
        List<HttpResponse<String>> answers = load(THREADS, 3, i -> post(sessions.get(i % THREADS), LONG_WORK));

        assertOnly(answers, Set.of(202, 429, 503));
        assertTrue(answers.stream().anyMatch(a -> a.statusCode() == 503), "no 503 among " + statuses(answers));
        answers.stream().filter(a -> a.statusCode() == 503).forEach(a -> assertProblem(a, 503, "overloaded", null));
    }

    @Test
    void aTenantGetsItsOpenSessionsAcrossTheClusterAndNoMore() throws Exception {
        String tenant = nextTenant();
        List<HttpResponse<String>> answers = load(10, 3, i -> createSession(tenant));

        assertOnly(answers, Set.of(201, 429));
        assertEquals(TENANT_SESSIONS, answers.stream().filter(a -> a.statusCode() == 201).count(), statuses(answers));
        answers.stream().filter(a -> a.statusCode() == 429).forEach(a -> assertEquals("sessions-open", limitOf(a)));

        Map<String, Object> first = ApiClient.map(answers.stream().filter(a -> a.statusCode() == 201).findFirst()
                .orElseThrow().body());
        assertEquals(204, api.send("DELETE", "/v1/sessions/" + first.get("sessionId"), null,
                Map.of("Authorization", "Bearer " + first.get("token"))).statusCode());
        assertEquals(201, createSession(tenant).statusCode(), "a closed session frees its place");
    }

    @Test
    void aTenantPastItsRequestRateGets429AndOtherTenantsDoNot() throws Exception {
        String tenant = nextTenant();
        List<HttpResponse<String>> answers = load(8, 10, i -> createSession(tenant));

        assertOnly(answers, Set.of(201, 429));
        assertTrue(answers.stream().anyMatch(a -> a.statusCode() == 429 && "request-rate".equals(limitOf(a))),
                statuses(answers));
        assertEquals(201, createSession(nextTenant()).statusCode(), "another tenant is not limited");
    }

    @Test
    void limitsAndQueueBoundsAreExportedToPrometheus() throws Exception {
        aTenantPastItsRequestRateGets429AndOtherTenantsDoNot();
        String metrics = management.get("/prometheus", Map.of()).body();
        for (String metric : List.of("runtime_limits_starts_in_flight ", "runtime_limits_starts_in_flight_max ",
                "runtime_limits_stream_clients ", "runtime_limits_stream_clients_max ", "runtime_limits_tenants_tracked ",
                "runtime_wal_pending_appends ", "runtime_sessions_writes_in_flight ", "runtime_executions_limit ",
                "runtime_redis_batch_waiting{kind=\"execution-writes\"}",
                "runtime_executions_current{state=\"queued\"}")) {
            assertTrue(metrics.contains(metric), metric + " missing");
        }
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("runtime_limits_refused_total{limit=\"request-rate\",scope=\"tenant\"}")
                && !line.endsWith(" 0.0")), "refusals are counted");
    }

    private String awaitAccepted(TestSession session) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> answer = post(session, LONG_WORK);
            if (answer.statusCode() == 202) {
                return answer.headers().firstValue("Location").orElseThrow();
            }
            assertTrue(System.nanoTime() < deadline, "never accepted: " + answer.body());
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> post(TestSession session, String intent) {
        return api.send("POST", "/v1/sessions/" + session.id() + "/intents", intent, session.auth());
    }

    private HttpResponse<String> createSession(String tenant) {
        return api.send("POST", "/v1/sessions", "{\"tenant\":\"" + tenant + "\",\"user\":\"ada\"}", Map.of());
    }

    /** {@code rounds} requests from each of {@code threads} client threads, all started together. */
    private static List<HttpResponse<String>> load(int threads, int rounds, Request request) throws Exception {
        List<Callable<List<HttpResponse<String>>>> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            clients.add(() -> {
                List<HttpResponse<String>> mine = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    mine.add(request.send(thread));
                }
                return mine;
            });
        }
        List<HttpResponse<String>> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<List<HttpResponse<String>>> client : pool.invokeAll(clients)) {
                all.addAll(client.get());
            }
        }
        return all;
    }

    /** Only these statuses; every 429 and 503 a problem with Retry-After (429: type tenant-limit). */
    private static void assertOnly(List<HttpResponse<String>> answers, Set<Integer> allowed) {
        for (HttpResponse<String> answer : answers) {
            assertTrue(allowed.contains(answer.statusCode()), answer.statusCode() + ": " + answer.body());
            if (answer.statusCode() == 429) {
                assertProblem(answer, 429, "tenant-limit", null);
                assertRetryAfter(answer);
            } else if (answer.statusCode() == 503) {
                assertRetryAfter(answer);
            }
        }
    }

    private static void assertRetryAfter(HttpResponse<String> answer) {
        long seconds = Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow(
                () -> new AssertionError("no Retry-After: " + answer.body())));
        assertTrue(seconds >= 1, "Retry-After " + seconds);
    }

    private static String limitOf(HttpResponse<String> answer) {
        return (String) ApiClient.map(answer.body()).get("limit");
    }

    private static String statuses(List<HttpResponse<String>> answers) {
        return answers.stream().map(a -> String.valueOf(a.statusCode())).sorted().toList().toString();
    }

    /** A tenant of its own for each use (from the test tenants' pool, whose keys the service is provisioned with). */
    private static String nextTenant() {
        return TestCredentials.pooled(TENANTS.incrementAndGet());
    }

    @FunctionalInterface
    private interface Request {
        HttpResponse<String> send(int thread) throws Exception;
    }
}
