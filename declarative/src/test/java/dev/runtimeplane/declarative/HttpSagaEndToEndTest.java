package dev.runtimeplane.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.declarative.TestService.Reply;
import dev.runtimeplane.declarative.TestService.Request;
import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaCoordinatorOptions;
import dev.runtimeplane.saga.SagaEvent;
import dev.runtimeplane.saga.SagaEventType;
import dev.runtimeplane.saga.SagaOwner;
import dev.runtimeplane.saga.SagaRegistry;
import dev.runtimeplane.saga.SagaState;
import dev.runtimeplane.saga.StepStatus;
import dev.runtimeplane.saga.StepView;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.state.StateSurfaceOptions;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order flow from the README, loaded from its file and run by a real saga coordinator on the real WAL
 * (fsync ALWAYS) and a real Redis; three JDK HTTP servers on 127.0.0.1 play the stock, payments and
 * shipping services.
 */
class HttpSagaEndToEndTest {

    private static final String SECRET = "s3cr3t-payments-token-7731";
    private static final SagaOwner OWNER = new SagaOwner(TenantId.of("acme"), SessionId.of("session-1"));
    private static final String PAYLOAD = "{\"orderId\":\"o-7\",\"customerId\":\"c-42\","
            + "\"items\":[{\"sku\":\"book-1\",\"quantity\":2}],\"amount\":{\"value\":3998,\"currency\":\"EUR\"},"
            + "\"address\":{\"street\":\"1 Main St\",\"city\":\"Springfield\"}}";

    @TempDir
    Path dir;
    private TestService stock;
    private TestService payments;
    private TestService shipping;
    private StateSurface surface;
    private WriteAheadLog wal;
    private HttpSagaFactory factory;
    private SagaCoordinator coordinator;

    @BeforeEach
    void start() throws Exception {
        stock = new TestService(request -> request.method().equals("POST")
                ? Reply.json(201, "{\"reservationId\":\"r-1\",\"warehouse\":\"north\"}") : new Reply(204, Map.of(), ""));
        payments = new TestService(request -> request.path().endsWith("/refund") ? Reply.json(200, "{}")
                : Reply.json(201, "{\"chargeId\":\"ch-9\",\"seenAuthorization\":\"" + request.header("Authorization")
                        + "\"}"));
        shipping = new TestService(request -> Reply.json(201, "{\"trackingId\":\"t-1\"}"));
        OutboundPolicy policy = Definitions.allowing(stock.url(), payments.url(), shipping.url()).build();
        factory = new HttpSagaFactory(policy, name -> name.equals("PAYMENTS_TOKEN") ? Optional.of(SECRET) : Optional.empty(),
                (tenant, session) -> Map.of("channel", "web"));
        LoadedDefinitions loaded = new DefinitionLoader(new DefinitionParser(policy)).load(Map.of("order-flow.yaml",
                Definitions.orderFlow(stock.url(), payments.url(), shipping.url())));
        SagaRegistry registry = new SagaRegistry();
        loaded.registerAll(registry, factory);

        surface = new StateSurface(StateSurfaceOptions.builder().redisUri(RedisTestKit.shared().uri())
                .keyPrefix("decl-it-" + ThreadLocalRandom.current().nextInt(1_000_000)).build());
        surface.start();
        long connectBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (surface.health().status() != HealthStatus.UP && System.nanoTime() < connectBy) {
            Thread.sleep(20);
        }
        wal = WriteAheadLog.open(WalOptions.builder(dir.resolve("wal")).fsyncPolicy(FsyncPolicy.ALWAYS).build());
        coordinator = new SagaCoordinator(registry, wal, surface.executions(),
                SagaCoordinatorOptions.builder("decl-replica").build());
        coordinator.start();
    }

    @AfterEach
    void stop() {
        coordinator.close();
        wal.close();
        surface.close();
        factory.close();
        stock.close();
        payments.close();
        shipping.close();
    }

    private ExecutionView run(String idempotencyKey) throws Exception {
        ExecutionId id = coordinator.start("place-order", OWNER, PAYLOAD, idempotencyKey);
        return coordinator.whenFinished(new ExecutionKey(OWNER.tenant(), id)).get(60, TimeUnit.SECONDS);
    }

    private static StepView step(ExecutionView view, String name) {
        return view.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aFailedThirdStepIsCompensatedOverHttpInReverseWithTheRightKeys() throws Exception {
        shipping.otherwise(request -> Reply.json(400, "{\"error\":\"address not deliverable\"}"));
        payments.thenOnce(request -> request.path().endsWith("/charges") ? Reply.json(201, "{\"chargeId\":\"ch-9\"}")
                : Reply.json(500, "{\"error\":\"ledger busy\"}"));
        payments.thenOnce(request -> Reply.json(500, "{\"error\":\"ledger busy for " + request.header("Authorization")
                + "\"}"));

        ExecutionView view = run("order-o-7");
        String execution = view.execution().value();

        assertEquals(SagaState.COMPENSATED, view.state(), view::toString);
        assertEquals(1, shipping.requests().size(), "a 400 is not retried");
        assertEquals(StepStatus.FAILED, step(view, "ship").status());
        assertTrue(step(view, "ship").lastError().contains("answered 400: {\"error\":\"address not deliverable\"}"),
                step(view, "ship").lastError());

        Request reserve = stock.requests().getFirst();
        Request charge = payments.requests().getFirst();
        List<Request> refunds = payments.requests().subList(1, payments.requests().size());
        Request release = stock.requests().getLast();
        assertEquals("POST /reservations", reserve.method() + " " + reserve.path());
        assertEquals("POST /charges", charge.method() + " " + charge.path());
        assertEquals(2, refunds.size(), "the refund answered 500 once and was retried");
        assertEquals("DELETE /reservations/r-1", release.method() + " " + release.path());
        assertTrue(refunds.getLast().arrival() < release.arrival(), "compensated in reverse: refund, then release");
        for (Request refund : refunds) {
            assertEquals("POST /charges/ch-9/refund", refund.method() + " " + refund.path());
            assertEquals(execution + ":charge:compensation", refund.header("Idempotency-Key"));
            assertEquals("Bearer " + SECRET, refund.header("Authorization"));
        }
        assertEquals(List.of("1", "2"), refunds.stream().map(r -> r.header("X-Runtime-Attempt")).toList());
        assertEquals(execution + ":reserve", reserve.header("Idempotency-Key"));
        assertEquals(execution + ":charge", charge.header("Idempotency-Key"));
        assertEquals(execution + ":ship", shipping.requests().getFirst().header("Idempotency-Key"));
        assertEquals(execution + ":reserve:compensation", release.header("Idempotency-Key"));
        for (Request request : List.of(reserve, charge, release)) {
            assertEquals(execution, request.header("X-Runtime-Execution"));
            assertEquals(Long.toString(view.fencingToken()), request.header("X-Runtime-Fencing-Token"));
        }
        assertTrue(view.fencingToken() > 0, "a real lease token");
        assertEquals("charge", charge.header("X-Runtime-Step"));
        assertEquals("true", release.header("X-Runtime-Compensation"));
        assertEquals("c-42", charge.header("X-Customer"));

        JsonNode chargeBody = Json.parse(charge.body());
        assertEquals("r-1", chargeBody.get("reservation").asText());
        assertEquals("acme", chargeBody.get("tenant").asText());
        assertEquals("order o-7 for web", chargeBody.get("note").asText());
        assertEquals(3998, chargeBody.get("amount").get("value").asInt());
        assertEquals("{\"reservationId\":\"r-1\"}", step(view, "reserve").result(), "the selected part of the response");

        String history = coordinator.history(new ExecutionKey(OWNER.tenant(), view.execution())).toString();
        assertTrue(history.contains("ledger busy for Bearer ***"), history);
        assertFalse(history.contains(SECRET), "the secret never reaches the history");
        assertFalse(view.toString().contains(SECRET), "nor the execution's results and errors");
    }

    @Test
    void retriesOn503HonouringRetryAfterAndOnADroppedConnection() throws Exception {
        stock.thenOnce(request -> new Reply(503, Map.of("Retry-After", "1"), ""));
        payments.thenOnce(request -> Reply.drop());

        ExecutionView view = run("order-o-8");

        assertEquals(SagaState.COMPLETED, view.state(), view::toString);
        assertEquals(List.of("1", "2"), stock.requests().stream().map(r -> r.header("X-Runtime-Attempt")).toList());
        assertEquals(1, stock.requests().stream().map(r -> r.header("Idempotency-Key")).distinct().count());
        assertEquals(2, payments.requests().size(), "the dropped connection was retried");
        assertEquals(2, step(view, "charge").attempts());
        assertTrue(step(view, "charge").result().contains("Bearer ***"), step(view, "charge").result());
        assertEquals("{\"trackingId\":\"t-1\"}", step(view, "ship").result());

        List<SagaEvent> history = coordinator.history(new ExecutionKey(OWNER.tenant(), view.execution()));
        SagaEvent reserveFailed = history.stream()
                .filter(e -> e.type() == SagaEventType.STEP_FAILED && "reserve".equals(e.step())).findFirst().orElseThrow();
        assertTrue(reserveFailed.detail().contains("answered 503"), reserveFailed::toString);
        assertTrue(Duration.between(reserveFailed.at(), reserveFailed.retryAt()).toMillis() >= 1000,
                "the retry was planned after the Retry-After (the policy's own backoff is 50 ms): " + reserveFailed);
        assertFalse(history.toString().contains(SECRET));
    }
}
