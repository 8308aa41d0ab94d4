package dev.runtimeplane.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaCoordinatorOptions;
import dev.runtimeplane.saga.SagaEvent;
import dev.runtimeplane.saga.SagaEventType;
import dev.runtimeplane.saga.SagaOwner;
import dev.runtimeplane.saga.SagaRegistry;
import dev.runtimeplane.saga.SagaState;
import dev.runtimeplane.saga.StepView;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.state.StateSurfaceOptions;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example of {@code examples/order-flow}: its definition file as shipped, and its fake services
 * started as the README starts them (a real {@code java FakeServices.java} process, here on free ports),
 * driven by a real saga coordinator on the real WAL (fsync ALWAYS) and a real Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExampleOrderFlowTest {

    private static final String TOKEN = "example-test-token-" + ThreadLocalRandom.current().nextInt(1_000_000);
    private static final SagaOwner OWNER = new SagaOwner(TenantId.of("acme"), SessionId.of("example-session"));
    private static final List<String> DEFAULT_SERVICES =
            List.of("http://127.0.0.1:9101", "http://127.0.0.1:9102", "http://127.0.0.1:9103");

    @TempDir
    static Path dir;
    private FakeServicesProcess services;
    private StateSurface surface;
    private WriteAheadLog wal;
    private HttpSagaFactory factory;
    private SagaCoordinator coordinator;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        services = new FakeServicesProcess(Map.of("PAYMENTS_TOKEN", TOKEN));
        OutboundPolicy policy = Definitions.allowing(services.url("stock"), services.url("payments"),
                services.url("shipping")).build();
        String definition = Files.readString(FakeServicesProcess.EXAMPLE.resolve("order-flow.yaml"))
                .replace("127.0.0.1:9101", "127.0.0.1:" + services.port("stock"))
                .replace("127.0.0.1:9102", "127.0.0.1:" + services.port("payments"))
                .replace("127.0.0.1:9103", "127.0.0.1:" + services.port("shipping"));
        factory = new HttpSagaFactory(policy, name -> name.equals("PAYMENTS_TOKEN") ? Optional.of(TOKEN) : Optional.empty(),
                (tenant, session) -> Map.of());
        SagaRegistry registry = new SagaRegistry();
        new DefinitionLoader(new DefinitionParser(policy)).load(Map.of("order-flow.yaml", definition))
                .registerAll(registry, factory);

        surface = new StateSurface(StateSurfaceOptions.builder().redisUri(RedisTestKit.shared().uri())
                .keyPrefix("example-it-" + ThreadLocalRandom.current().nextInt(1_000_000)).build());
        surface.start();
        long connectBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (surface.health().status() != HealthStatus.UP && System.nanoTime() < connectBy) {
            Thread.sleep(20);
        }
        wal = WriteAheadLog.open(WalOptions.builder(dir.resolve("wal")).fsyncPolicy(FsyncPolicy.ALWAYS).build());
        coordinator = new SagaCoordinator(registry, wal, surface.executions(),
                SagaCoordinatorOptions.builder("example-replica").build());
        coordinator.start();
    }

    @AfterAll
    void stop() throws Exception {
        coordinator.close();
        wal.close();
        surface.close();
        factory.close();
        services.close();
    }

    @Test
    void theShippedFilesLoadAsTheyAreWithoutWarnings() {
        OutboundPolicy defaults = Definitions.allowing(DEFAULT_SERVICES.toArray(String[]::new)).build();
        DefinitionLoader loader = new DefinitionLoader(new DefinitionParser(defaults));

        LoadedDefinitions v1 = loader.loadDirectory(FakeServicesProcess.EXAMPLE);
        LoadedDefinitions v2 = loader.loadDirectory(FakeServicesProcess.EXAMPLE.resolve("v2"));

        assertEquals(List.of("place-order v1"), v1.definitions().stream()
                .map(d -> d.intentType() + " v" + d.version()).toList(), "only version 1 is in the definitions directory");
        assertEquals(List.of("place-order v2"), v2.definitions().stream()
                .map(d -> d.intentType() + " v" + d.version()).toList());
        assertEquals(List.of(), v1.warnings(), "every step that changes data has a compensation");
        assertEquals(List.of(), v2.warnings());
    }

    @Test
    void anOrderRunsReserveChargeShipWithOneKeyPerStep() throws Exception {
        ExecutionView view = run("o-1", "\"address\":\"1 Main St, Springfield\"");
        String execution = view.execution().value();

        assertEquals(SagaState.COMPLETED, view.state(), view::toString);
        List<String> calls = services.awaitLines(line -> line.contains("key=" + execution + ":"), 3);
        assertEquals(List.of("stock POST /reservations", "payments POST /charges", "shipping POST /shipments"),
                calls.stream().map(ExampleOrderFlowTest::serviceMethodPath).toList());
        assertTrue(calls.get(0).contains("key=" + execution + ":reserve attempt=1 fencing=" + view.fencingToken()), calls.get(0));
        assertTrue(calls.get(1).contains("key=" + execution + ":charge attempt=1"), calls.get(1));
        assertTrue(calls.get(2).contains("key=" + execution + ":ship attempt=1"), calls.get(2));
        assertTrue(step(view, "ship").result().matches("\\{\"shipmentId\":\"s-\\d+\"}"), step(view, "ship").result());
        assertTrue(get(services.url("shipping") + "/shipments").contains("\"orderId\":\"o-1\",\"status\":\"shipped\""));
    }

    @Test
    void anOrderThatCannotShipIsCompensatedInReverse() throws Exception {
        ExecutionView view = run("o-2", "\"address\":\"nowhere\"");
        String execution = view.execution().value();

        assertEquals(SagaState.COMPENSATED, view.state(), view::toString);
        List<String> calls = services.awaitLines(line -> line.contains("key=" + execution + ":"), 5);
        assertEquals(List.of("stock POST /reservations", "payments POST /charges", "shipping POST /shipments",
                        "payments POST /charges/" + chargeId(view) + "/refund",
                        "stock DELETE /reservations/" + reservationId(view)),
                calls.stream().map(ExampleOrderFlowTest::serviceMethodPath).toList());
        assertTrue(calls.get(2).endsWith("-> 422 {\"error\":\"cannot deliver to nowhere\"}"), calls.get(2));
        assertTrue(calls.get(3).contains("key=" + execution + ":charge:compensation attempt=1"), calls.get(3));
        assertTrue(calls.get(4).contains("key=" + execution + ":reserve:compensation attempt=1"), calls.get(4));

        List<SagaEvent> history = coordinator.history(new ExecutionKey(OWNER.tenant(), view.execution()));
        assertEquals(List.of("charge", "reserve"), history.stream().filter(e -> e.type() == SagaEventType.STEP_COMPENSATED)
                .map(SagaEvent::step).toList(), "compensated in reverse");
        assertTrue(get(services.url("payments") + "/charges").contains("\"orderId\":\"o-2\",\"amount\":{\"value\":3998,"
                + "\"currency\":\"EUR\"},\"status\":\"refunded\""));
        assertTrue(get(services.url("stock") + "/reservations").contains("\"orderId\":\"o-2\",\"status\":\"released\""));
    }

    @Test
    void aFlakyChargeIsRetriedAfterRetryAfterWithTheSameKey() throws Exception {
        ExecutionView view = run("o-3", "\"address\":\"1 Main St, Springfield\",\"flaky\":true");
        String execution = view.execution().value();

        assertEquals(SagaState.COMPLETED, view.state(), view::toString);
        assertEquals(2, step(view, "charge").attempts());
        List<String> charges = services.awaitLines(line -> line.contains("key=" + execution + ":charge "), 2);
        assertTrue(charges.get(0).contains("attempt=1") && charges.get(0).contains("-> 503"), charges.get(0));
        assertTrue(charges.get(1).contains("attempt=2") && charges.get(1).contains("-> 201"), charges.get(1));
        SagaEvent failed = coordinator.history(new ExecutionKey(OWNER.tenant(), view.execution())).stream()
                .filter(e -> e.type() == SagaEventType.STEP_FAILED).findFirst().orElseThrow();
        assertTrue(failed.retryAt().toEpochMilli() - failed.at().toEpochMilli() >= 1000,
                "the retry was planned after Retry-After: 1, not the policy's 100 ms: " + failed);
    }

    @Test
    void aRepeatedKeyGetsTheFirstAnswerAndAStaleFencingTokenIsRefused() throws Exception {
        ExecutionView view = run("o-4", "\"address\":\"1 Main St, Springfield\"");
        String execution = view.execution().value();
        String reserve = "{\"orderId\":\"o-4\",\"items\":[{\"sku\":\"book-1\",\"quantity\":2}]}";

        HttpResponse<String> repeat = post(services.url("stock") + "/reservations", execution + ":reserve", execution,
                view.fencingToken(), reserve);
        HttpResponse<String> stale = post(services.url("stock") + "/reservations", execution + ":other", execution,
                view.fencingToken() - 1, reserve);

        assertEquals(201, repeat.statusCode());
        assertEquals("{\"reservationId\":\"" + reservationId(view) + "\",\"orderId\":\"o-4\",\"status\":\"reserved\"}",
                repeat.body(), "the first answer");
        services.awaitLine(line -> line.contains("key=" + execution + ":reserve ") && line.contains("(repeat of this key"));
        assertEquals(409, stale.statusCode(), stale.body());
        assertEquals(1, get(services.url("stock") + "/reservations").split("\"orderId\":\"o-4\"", -1).length - 1,
                "one reservation for the order");
    }

    private ExecutionView run(String orderId, String extra) throws Exception {
        String payload = "{\"orderId\":\"" + orderId + "\",\"customerId\":\"c-42\",\"items\":[{\"sku\":\"book-1\","
                + "\"quantity\":2}],\"amount\":{\"value\":3998,\"currency\":\"EUR\"}," + extra + "}";
        ExecutionId id = coordinator.start("place-order", OWNER, payload, "order-" + orderId);
        return coordinator.whenFinished(new ExecutionKey(OWNER.tenant(), id)).get(60, TimeUnit.SECONDS);
    }

    private static StepView step(ExecutionView view, String name) {
        return view.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static String chargeId(ExecutionView view) throws Exception {
        return Json.parse(step(view, "charge").result()).get("chargeId").asText();
    }

    private static String reservationId(ExecutionView view) throws Exception {
        return Json.parse(step(view, "reserve").result()).get("reservationId").asText();
    }

    /** "stock POST /reservations" from a log line "12:00:00.000 stock    POST /reservations key=...". */
    private static String serviceMethodPath(String line) {
        String[] words = line.trim().split(" +");
        return words[1] + " " + words[2] + " " + words[3];
    }

    private String get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> post(String url, String key, String execution, long fencingToken, String body)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Idempotency-Key", key)
                .header("X-Runtime-Execution", execution).header("X-Runtime-Fencing-Token", Long.toString(fencingToken))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
