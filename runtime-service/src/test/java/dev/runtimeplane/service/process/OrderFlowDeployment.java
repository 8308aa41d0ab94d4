package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.Definitions;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.testkit.TempDirectories;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The order-flow example deployed for a process test: the fake services, a definitions directory whose
 * order-flow.yaml calls them, and the environment a service process needs to run it.
 */
final class OrderFlowDeployment implements AutoCloseable {

    /** An order the definition accepts. */
    static final String PAYLOAD = "{\"orderId\":\"o-1\",\"customerId\":\"c-1\",\"items\":[{\"sku\":\"b\",\"quantity\":1}],"
            + "\"amount\":{\"value\":5,\"currency\":\"EUR\"},\"address\":{\"city\":\"Springfield\"}}";

    final FakeServices services;
    final Path definitions;

    OrderFlowDeployment() throws IOException {
        services = new FakeServices();
        definitions = TempDirectories.create("definitions");
        Files.writeString(definitions.resolve("order-flow.yaml"),
                Definitions.orderFlow(services.url("stock"), services.url("payments"), services.url("shipping")));
    }

    /** A service on the shared Redis under {@code prefix}, loading the definitions, allowed to call the services. */
    Map<String, String> environment(String prefix, String adminToken, String paymentsToken) {
        Map<String, String> environment = new HashMap<>();
        environment.put("REDIS_URI", RedisTestKit.shared().uri());
        environment.put("RUNTIME_REDIS_KEY_PREFIX", prefix);
        environment.put("RUNTIME_INTENTS_DEFINITIONS_DIR", definitions.toString());
        environment.put("RUNTIME_OUTBOUND_ALLOW", services.allowList());
        environment.put("RUNTIME_ADMIN_TOKEN_SHA256", Definitions.sha256(adminToken));
        environment.put("PAYMENTS_TOKEN", paymentsToken);
        return environment;
    }

    /** Submits {@link #PAYLOAD} as an intent of {@code type}; returns the execution id of the 202. */
    static String submit(ApiClient api, TestSession session, String type) {
        HttpResponse<String> accepted = api.send("POST", "/v1/sessions/" + session.id() + "/intents",
                "{\"type\":\"" + type + "\",\"payload\":" + PAYLOAD + "}", session.auth());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return (String) ApiClient.map(accepted.body()).get("executionId");
    }

    /** Polls {@code condition} until it holds, for at most a minute. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        services.close();
    }
}
