package dev.runtimeplane.service.process;

import dev.runtimeplane.service.testing.Definitions;
import dev.runtimeplane.testkit.RedisTestKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The order-flow example deployed for a process test: the fake services, a definitions directory whose
 * order-flow.yaml calls them, and the environment a service process needs to run it.
 */
final class OrderFlowDeployment implements AutoCloseable {

    final FakeServices services;
    final Path definitions;

    OrderFlowDeployment() throws IOException {
        services = new FakeServices();
        definitions = Files.createTempDirectory("definitions");
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

    @Override
    public void close() {
        services.close();
    }
}
