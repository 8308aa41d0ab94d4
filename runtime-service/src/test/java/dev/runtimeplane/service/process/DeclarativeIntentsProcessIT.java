package dev.runtimeplane.service.process;

import static dev.runtimeplane.service.process.OrderFlowDeployment.await;
import static dev.runtimeplane.service.process.OrderFlowDeployment.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.Definitions;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Declarative intent types in the packaged service, against three downstream services played by JDK HTTP
 * servers on 127.0.0.1: compensation over HTTP, a secret that stays out of the log and the history, a
 * {@code kill -9} between steps, two replicas sharing a registration and adopting each other's work, and an
 * invalid definitions file stopping the start.
 */
class DeclarativeIntentsProcessIT {

    private static final String SECRET = "pay-secret-7f3a9c";
    private static final String ADMIN_TOKEN = "process-admin-token";
    private OrderFlowDeployment deployment;
    private FakeServices services;
    private Path definitions;

    @BeforeEach
    void services() throws IOException {
        deployment = new OrderFlowDeployment();
        services = deployment.services;
        definitions = deployment.definitions;
    }

    @AfterEach
    void close() {
        deployment.close();
    }

    private Map<String, String> environment(String prefix) {
        Map<String, String> environment = deployment.environment(prefix, ADMIN_TOKEN, SECRET);
        environment.put("RUNTIME_SAGA_LEASE_TTL", "2s");
        return environment;
    }

    @Test
    void aFailingThirdStepCompensatesTheFirstTwoOverHttpInReverseAndTheSecretStaysHidden() throws Exception {
        services.shippingRefuses();
        try (ServiceProcess service = ServiceProcess.start(environment("decl-comp-" + System.nanoTime()))) {
            service.awaitReady(Duration.ofSeconds(60));
            ApiClient api = service.api();
            Map<String, Object> created = ApiClient.map(api.send("POST", "/v1/sessions",
                    "{\"tenant\":\"acme\",\"user\":\"ada\",\"metadata\":{\"channel\":\"web\"}}", Map.of()).body());
            TestSession session = new TestSession((String) created.get("sessionId"), (String) created.get("token"));
            String execution = submit(api, session, "place-order");
            assertEquals("COMPENSATED", Executions.awaitTerminal(api, session.id(), session.auth(), List.of(execution),
                    Duration.ofSeconds(60)).get(execution));

            List<FakeServices.Call> compensations = services.calls().stream().filter(FakeServices.Call::compensation).toList();
            assertEquals(List.of(execution + ":charge:compensation", execution + ":reserve:compensation"),
                    compensations.stream().map(FakeServices.Call::idempotencyKey).toList(), "in reverse, with their keys");
            assertEquals(List.of("payments", "stock"), compensations.stream().map(FakeServices.Call::service).toList());
            assertTrue(compensations.getFirst().path().startsWith("/charges/c-") && compensations.getFirst().path().endsWith("/refund"));
            assertEquals("Bearer " + SECRET, compensations.getFirst().authorization(), "the secret reached the service");
            List<String> actionKeys = services.calls().stream().filter(call -> !call.compensation())
                    .map(FakeServices.Call::idempotencyKey).distinct().toList();
            assertEquals(List.of(execution + ":reserve", execution + ":charge", execution + ":ship"), actionKeys);
            String charge = services.calls().stream().filter(call -> call.service().equals("payments") && !call.compensation())
                    .findFirst().orElseThrow().body();
            assertTrue(charge.contains("\"note\":\"order o-1 for web\"") && charge.contains("\"tenant\":\"acme\""),
                    "templates see the payload and the session's tenant and metadata: " + charge);

            String url = "/v1/sessions/" + session.id() + "/executions/" + execution;
            String history = api.get(url + "/events", session.auth()).body() + api.get(url, session.auth()).body();
            assertTrue(history.contains("STEP_COMPENSATED"), history);
            assertFalse(history.contains(SECRET), "the secret is in the history: " + history);
            assertFalse(service.log().contains(SECRET), "the secret is in the log");
        }
    }

    @Test
    void aKilledServiceFinishesTheSagaAfterARestartAndEveryEffectIsAppliedOnce() throws Exception {
        services.hold("payments");
        ServiceProcess first = ServiceProcess.start(environment("decl-kill-" + System.nanoTime()));
        try (first) {
            first.awaitReady(Duration.ofSeconds(60));
            TestSession session = first.api().openSession("acme");
            String execution = submit(first.api(), session, "place-order");
            await("the charge reached payments", () -> services.calls().stream().anyMatch(c -> c.service().equals("payments")));
            first.kill();

            try (ServiceProcess second = first.restart()) {
                second.awaitReady(Duration.ofSeconds(60));
                await("the restarted service sent the charge again",
                        () -> services.calls().stream().filter(c -> c.service().equals("payments")).count() >= 2);
                services.release();
                assertEquals("COMPLETED", Executions.awaitTerminal(second.api(), session.id(), session.auth(),
                        List.of(execution), Duration.ofSeconds(60)).get(execution));
            }
            List<FakeServices.Call> charges = services.calls().stream().filter(c -> c.service().equals("payments")).toList();
            assertEquals(Set.of(execution + ":charge"), charges.stream().map(FakeServices.Call::idempotencyKey)
                    .collect(Collectors.toSet()), "every attempt carried the same key");
            assertEquals(Map.of(execution + ":reserve", 1, execution + ":charge", 1, execution + ":ship", 1),
                    services.applied(), "each effect applied once");
        }
    }

    @Test
    void aDefinitionRegisteredOnOneReplicaRunsOnTheOtherWhichAdoptsTheDeadReplicasSaga() throws Exception {
        Map<String, String> environment = environment("decl-two-" + System.nanoTime());
        environment.remove("RUNTIME_INTENTS_DEFINITIONS_DIR");
        try (ServiceProcess a = ServiceProcess.start(environment); ServiceProcess b = ServiceProcess.start(environment)) {
            a.awaitReady(Duration.ofSeconds(60));
            b.awaitReady(Duration.ofSeconds(60));
            String definition = Definitions.orderFlow(services.url("stock"), services.url("payments"), services.url("shipping"))
                    .replace("intentType: place-order", "intentType: shared-order");
            HttpResponse<String> registered = a.admin().send("POST", "/admin/v1/intent-types", definition,
                    Map.of("Authorization", "Bearer " + ADMIN_TOKEN, "Content-Type", "application/yaml"));
            assertEquals(201, registered.statusCode(), registered.body());
            await("replica B lists the definition", () -> b.api().get("/v1/intent-types", Map.of()).body()
                    .contains("\"shared-order\""));
            TestSession onB = b.api().openSession("acme");
            String runOnB = submit(b.api(), onB, "shared-order");
            assertEquals("COMPLETED", Executions.awaitTerminal(b.api(), onB.id(), onB.auth(), List.of(runOnB),
                    Duration.ofSeconds(60)).get(runOnB));

            services.hold("payments");
            TestSession onA = a.api().openSession("acme");
            String orphan = submit(a.api(), onA, "shared-order");
            await("A's charge reached payments", () -> services.calls().stream()
                    .anyMatch(c -> c.service().equals("payments") && c.idempotencyKey().startsWith(orphan)));
            a.kill();
            await("B adopted the saga and sent the charge again", () -> services.calls().stream()
                    .filter(c -> c.idempotencyKey().equals(orphan + ":charge")).count() >= 2);
            services.release();
            assertEquals("COMPLETED", Executions.awaitTerminal(b.api(), onA.id(), onA.auth(), List.of(orphan),
                    Duration.ofSeconds(60)).get(orphan));
            assertEquals(1, services.applied().get(orphan + ":charge"));
        }
    }

    @Test
    void anInvalidDefinitionsFileStopsTheStartNamingTheFileAndLine() throws Exception {
        Files.writeString(definitions.resolve("broken.yaml"), """
                intentType: broken
                version: 1
                steps:
                  - name: first
                    action:
                      method: POST
                      url: http://not-allowed.example:81/x
                """);
        try (ServiceProcess service = ServiceProcess.start(environment("decl-bad-" + System.nanoTime()))) {
            assertEquals(1, service.awaitExit(Duration.ofSeconds(60)), service.log());
            String log = service.log();
            assertTrue(log.contains("broken.yaml:7 $.steps[0].action.url"), "the log names the file, line and path:\n" + log);
        }
    }
}
