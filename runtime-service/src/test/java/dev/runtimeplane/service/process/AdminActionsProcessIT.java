package dev.runtimeplane.service.process;

import static dev.runtimeplane.service.process.OrderFlowDeployment.await;
import static dev.runtimeplane.service.process.OrderFlowDeployment.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin execution API of the packaged service against real Redis and the order flow's downstream services
 * (JDK HTTP servers the test controls): a cancel sent to the replica that does not drive the execution, a
 * FAILED execution (refunds down) taken to COMPENSATED by a retry once refunds work again, another resolved by
 * hand, and the list, counts, detail, history and feed along the way.
 */
class AdminActionsProcessIT {

    private static final String ADMIN_TOKEN = "process-admin-token";
    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer " + ADMIN_TOKEN,
            "Content-Type", "application/json");
    /** Generous: two JVMs starting at once on a loaded 2-core machine took 45 s each to start Micronaut. */
    private static final Duration READY = Duration.ofSeconds(180);

    private OrderFlowDeployment deployment;
    private FakeServices services;

    @BeforeEach
    void services() throws IOException {
        deployment = new OrderFlowDeployment();
        services = deployment.services;
    }

    @AfterEach
    void close() {
        deployment.close();
    }

    private Map<String, String> environment(String prefix) {
        return deployment.environment(prefix, ADMIN_TOKEN, "pay-token");
    }

    @Test
    void aCancelSentToTheReplicaThatDoesNotDriveTheExecutionReachesTheOneThatDoes() throws Exception {
        Map<String, String> environment = environment("admin-cancel-" + System.nanoTime());
        try (ServiceProcess a = ServiceProcess.start(environment); ServiceProcess b = ServiceProcess.start(environment)) {
            a.awaitReady(READY);
            b.awaitReady(READY);
            services.hold("payments");
            TestSession session = a.api().openSession("acme");
            String execution = submit(a.api(), session, "place-order");
            await("A's charge reached payments", () -> services.calls().stream()
                    .anyMatch(c -> c.service().equals("payments") && c.idempotencyKey().startsWith(execution)));
            String path = "/admin/v1/executions/acme/" + execution;
            Map<String, Object> before = ApiClient.map(b.admin().get(path, ADMIN).body());
            String driver = (String) before.get("leaseHolder");
            assertNotNull(driver, "A drives it: " + before);
            assertEquals(List.of("cancel"), before.get("actions"));
            HttpResponse<String> redrive = b.admin().send("POST", path + "/redrive", "{\"reason\":\"stuck?\"}", ADMIN);
            assertEquals(409, redrive.statusCode(), redrive.body());
            assertEquals(driver, ApiClient.map(redrive.body()).get("owner"), "a driven execution is not re-driven");
            Map<String, Object> byOwner = ApiClient.map(b.admin().get("/admin/v1/executions?state=RUNNING&owner=" + driver,
                    ADMIN).body());
            assertEquals(List.of(execution), items(byOwner).stream().map(i -> i.get("executionId")).toList());

            HttpResponse<String> cancelled = b.admin().send("POST", path + "/cancel",
                    "{\"reason\":\"customer called\",\"actor\":\"ops-bob\"}", ADMIN);

            assertEquals(200, cancelled.statusCode(), cancelled.body());
            Map<String, Object> after = ApiClient.map(cancelled.body());
            assertEquals(true, after.get("cancelRequested"));
            assertEquals(driver, after.get("leaseHolder"), "the owner keeps driving it; B only handed the cancel over");
            services.release();
            assertEquals("CANCELLED", Executions.awaitTerminal(a.api(), session.id(), session.auth(), List.of(execution),
                    Duration.ofSeconds(60)).get(execution));
            List<Map<String, Object>> history = ApiClient.list(b.admin().get(path + "/events", ADMIN).body());
            Map<String, Object> action = history.stream().filter(e -> "ADMIN_ACTION".equals(e.get("type"))).findFirst()
                    .orElseThrow();
            assertEquals("admin:ops-bob", action.get("actor"));
            assertEquals("cancel: customer called", action.get("detail"));
            HttpResponse<String> again = b.admin().send("POST", path + "/cancel", "{\"reason\":\"again\"}", ADMIN);
            assertEquals(409, again.statusCode(), again.body());
            assertEquals("CANCELLED", ApiClient.map(again.body()).get("currentState"));
        }
    }

    @Test
    void aFailedExecutionIsRetriedToCompensatedOnceTheDownstreamFaultIsFixedAndAnotherIsResolvedByHand() throws Exception {
        services.shippingRefuses();
        services.refundsFail(true);
        try (ServiceProcess service = ServiceProcess.start(environment("admin-retry-" + System.nanoTime()))) {
            service.awaitReady(READY);
            ApiClient admin = service.admin();
            TestSession session = service.api().openSession("acme");
            String retried = submit(service.api(), session, "place-order");
            String resolved = submit(service.api(), session, "place-order");
            Map<String, String> outcomes = Executions.awaitTerminal(service.api(), session.id(), session.auth(),
                    List.of(retried, resolved), Duration.ofSeconds(60));
            assertEquals(Map.of(retried, "FAILED", resolved, "FAILED"), outcomes);

            // The list finds them by state, tenant, session, type and version, newest change first.
            Map<String, Object> failed = ApiClient.map(admin.get("/admin/v1/executions?state=FAILED&tenant=acme&session="
                    + session.id() + "&type=place-order&version=1&limit=1", ADMIN).body());
            List<Map<String, Object>> items = items(failed);
            assertEquals(1, items.size());
            assertNotNull(failed.get("nextCursor"));
            Map<String, Object> second = ApiClient.map(admin.get("/admin/v1/executions?state=FAILED&tenant=acme&session="
                    + session.id() + "&limit=5&cursor=" + failed.get("nextCursor"), ADMIN).body());
            assertEquals(List.of(retried, resolved).stream().sorted().toList(), java.util.stream.Stream.concat(
                    items.stream(), items(second).stream()).map(i -> (String) i.get("executionId")).sorted().toList());
            assertEquals(null, second.get("nextCursor"));
            Map<String, Object> counts = ApiClient.map(admin.get("/admin/v1/executions/counts", ADMIN).body());
            assertEquals(2, ((Map<?, ?>) counts.get("counts")).get("FAILED"));
            assertEquals(400, admin.get("/admin/v1/executions?state=NOPE", ADMIN).statusCode());
            assertEquals(401, admin.get("/admin/v1/executions", Map.of()).statusCode());
            assertEquals(404, admin.get("/admin/v1/executions/acme/0123456789abcdef0123456789abcdef", ADMIN).statusCode());

            String path = "/admin/v1/executions/acme/" + retried;
            Map<String, Object> detail = ApiClient.map(admin.get(path, ADMIN).body());
            assertEquals("FAILED", detail.get("state"));
            assertEquals(List.of("retry", "resolve"), detail.get("actions"));
            assertEquals(400, admin.send("POST", path + "/retry", "{}", ADMIN).statusCode(), "a reason is required");

            services.refundsFail(false);
            HttpResponse<String> retry = admin.send("POST", path + "/retry", "{\"reason\":\"refunds are back\"}",
                    with(ADMIN, "X-Admin-Actor", "ops-alice"));
            assertEquals(200, retry.statusCode(), retry.body());
            assertEquals("COMPENSATING", ApiClient.map(retry.body()).get("state"));
            await("the retried compensation finished", () -> "COMPENSATED".equals(
                    ApiClient.map(admin.get(path, ADMIN).body()).get("state")));
            List<Map<String, Object>> history = ApiClient.list(admin.get(path + "/events", ADMIN).body());
            assertTrue(history.stream().anyMatch(e -> "ADMIN_ACTION".equals(e.get("type"))
                    && "admin:ops-alice".equals(e.get("actor")) && "retry: refunds are back".equals(e.get("detail"))));
            assertEquals("COMPENSATED", history.getLast().get("state"));
            assertTrue(services.calls().stream().anyMatch(c -> c.compensation() && c.path().startsWith("/reservations/")
                    && c.idempotencyKey().startsWith(retried)), "the reservation below the refund was released too");
            String feed = admin.get(path + "/stream", ADMIN).body();
            assertTrue(feed.contains("\"type\":\"ADMIN_ACTION\"") && feed.contains("\"actor\":\"admin:ops-alice\"")
                    && feed.contains("\"state\":\"COMPENSATED\""), "the feed goes on past the first FINISHED: " + feed);

            String resolvePath = "/admin/v1/executions/acme/" + resolved;
            HttpResponse<String> resolve = admin.send("POST", resolvePath + "/resolve",
                    "{\"reason\":\"refunded by hand\",\"actor\":\"ops-carol\"}", ADMIN);
            assertEquals(200, resolve.statusCode(), resolve.body());
            Map<String, Object> resolution = (Map<String, Object>) ApiClient.map(resolve.body()).get("resolution");
            assertEquals("admin:ops-carol", resolution.get("actor"));
            assertEquals("refunded by hand", resolution.get("note"));
            HttpResponse<String> late = admin.send("POST", resolvePath + "/retry", "{\"reason\":\"too late\"}", ADMIN);
            assertEquals(409, late.statusCode(), late.body());
            assertEquals("RESOLVED", ApiClient.map(late.body()).get("currentState"));
            assertEquals("RESOLVED", ApiClient.map(service.api().get("/v1/sessions/" + session.id() + "/executions/"
                    + resolved, session.auth()).body()).get("state"), "the session holder sees the outcome too");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        return ApiClient.with(headers, name, value);
    }
}
