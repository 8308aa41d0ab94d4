package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Zero-drop rolling restart behind a real reverse proxy. HAProxy checks {@code /health/ready} on each
 * replica's management port with the interval and timeout of the Traefik labels (2 s, 1 s); two
 * replicas share one Redis. While clients keep opening sessions, writing state and submitting
 * intents, each replica in turn gets SIGTERM, drains, exits and starts again. No client request may
 * fail, no accepted intent may be lost, and every execution must reach a terminal state.
 */
class RollingRestartProcessIT {

    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration DRAIN_DELAY = Duration.ofSeconds(5);

    /** A client's accepted intent. */
    private record Accepted(TestSession session, String executionId) {
    }

    @Test
    void restartingEachReplicaInTurnDropsNothing() throws Exception {
        assumeTrue(HaproxyFront.installed(), "haproxy is not installed (apt-get install haproxy); .ci/run installs it");
        try (RedisServer redis = RedisTestKit.startServer()) {
            Map<String, String> environment = Map.of("REDIS_URI", redis.uri(),
                    "RUNTIME_SHUTDOWN_DRAIN_DELAY", DRAIN_DELAY.toMillis() + "ms");
            List<ServiceProcess> replicas = new ArrayList<>(List.of(
                    ServiceProcess.start(environment), ServiceProcess.start(environment)));
            try {
                for (ServiceProcess replica : replicas) {
                    replica.awaitReady(Duration.ofSeconds(60));
                }
                try (HaproxyFront proxy = new HaproxyFront(replicas, CHECK_INTERVAL, CHECK_TIMEOUT)) {
                    proxy.awaitAllUp(Duration.ofSeconds(60));
                    ApiClient api = new ApiClient("http://127.0.0.1:" + proxy.port());
                    Queue<String> failures = new ConcurrentLinkedQueue<>();
                    Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
                    AtomicBoolean running = new AtomicBoolean(true);
                    AtomicInteger requests = new AtomicInteger();
                    List<Thread> clients = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        clients.add(Thread.ofPlatform().name("client-" + i).start(
                                () -> clientLoop(api, running, requests, accepted, failures)));
                    }
                    for (int i = 0; i < replicas.size(); i++) {
                        replicas.set(i, restart(replicas.get(i)));
                        proxy.awaitAllUp(Duration.ofSeconds(60)); // routed to again before the next one stops
                    }
                    running.set(false);
                    for (Thread client : clients) {
                        client.join(Duration.ofSeconds(30));
                    }
                    System.out.printf("rolling restart: %d requests through HAProxy, %d intents accepted, %d failed%n",
                            requests.get(), accepted.size(), failures.size());
                    assertEquals(List.of(), List.copyOf(failures), "failed client requests; haproxy log:\n" + proxy.log());
                    assertTrue(accepted.size() > 20, "the clients kept working: " + accepted.size());
                    for (Accepted intent : accepted) {
                        Map<String, String> states = Executions.awaitTerminal(api, intent.session().id(),
                                intent.session().auth(), List.of(intent.executionId()), Duration.ofSeconds(60));
                        assertEquals("COMPLETED", states.get(intent.executionId()));
                    }
                }
            } finally {
                replicas.forEach(ServiceProcess::close);
            }
        }
    }

    /** SIGTERM, wait for a clean exit, start again on the same ports and WAL. */
    private static ServiceProcess restart(ServiceProcess replica) throws Exception {
        replica.sigterm();
        assertEquals(0, replica.awaitExit(Duration.ofSeconds(40)), replica.log());
        return replica.restart().awaitReady(Duration.ofSeconds(60));
    }

    /** Opens a session, writes its state, submits an intent; again and again, recording every failure. */
    private static void clientLoop(ApiClient api, AtomicBoolean running, AtomicInteger requests,
                                   Queue<Accepted> accepted, Queue<String> failures) {
        int round = 0;
        while (running.get()) {
            round++;
            try {
                HttpResponse<String> created = api.sendOrFail("POST", "/v1/sessions",
                        "{\"tenant\":\"acme\",\"user\":\"rolling\"}", Map.of(), Duration.ofSeconds(10));
                requests.incrementAndGet();
                if (created.statusCode() != 201) {
                    failures.add("create session: " + created.statusCode() + " " + created.body());
                    continue;
                }
                Map<String, Object> body = ApiClient.map(created.body());
                TestSession session = new TestSession((String) body.get("sessionId"), (String) body.get("token"));
                HttpResponse<String> state = api.sendOrFail("PUT", "/v1/sessions/" + session.id() + "/state",
                        "{\"round\":" + round + "}", ApiClient.with(session.auth(), "If-Match", "\"0\""), Duration.ofSeconds(10));
                requests.incrementAndGet();
                if (state.statusCode() != 200) {
                    failures.add("write state: " + state.statusCode() + " " + state.body());
                }
                HttpResponse<String> intent = api.sendOrFail("POST", "/v1/sessions/" + session.id() + "/intents",
                        "{\"type\":\"trip-booking\"}", ApiClient.with(session.auth(), "Idempotency-Key", "r" + round),
                        Duration.ofSeconds(10));
                requests.incrementAndGet();
                if (intent.statusCode() == 202) {
                    accepted.add(new Accepted(session, (String) ApiClient.map(intent.body()).get("executionId")));
                } else {
                    failures.add("submit intent: " + intent.statusCode() + " " + intent.body());
                }
            } catch (IOException e) {
                failures.add("no answer: " + e);
            }
        }
    }
}
