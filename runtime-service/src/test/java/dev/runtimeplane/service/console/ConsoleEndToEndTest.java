package dev.runtimeplane.service.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.Definitions;
import dev.runtimeplane.service.testing.ExternalTool;
import dev.runtimeplane.service.testing.RunningService;
import dev.runtimeplane.service.testing.TestCredentials;
import dev.runtimeplane.testkit.FreePorts;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The operator console end to end: {@code src/test/console-e2e/console-e2e.mjs} drives Debian's headless
 * Chromium through playwright-core against this real service (real Redis, real WAL) and a fake downstream whose
 * refusals make an execution FAILED: sign in, list, filter, open an execution and watch it finish live, cancel
 * one, resolve a FAILED one. Its screenshots land in {@code target/console-e2e/screenshots}, or where the
 * environment variable {@code CONSOLE_SCREENSHOTS} says (the docs' pictures: {@code $PWD/docs/console}).
 *
 * <p>Also runs the unit tests of the console's history-to-timeline folding ({@code timeline.test.mjs}, node's
 * test runner). Needs node, npm and chromium (skipped without them, failed under CI); installs playwright-core
 * with {@code npm ci} from the committed lock file when node_modules is missing.
 */
@MicronautTest
class ConsoleEndToEndTest extends RunningService {

    private static final String TOKEN = "console-e2e-admin-token";
    private static final Path E2E = Path.of("src/test/console-e2e").toAbsolutePath();
    private static final Path TARGET = Path.of("target/console-e2e").toAbsolutePath();

    private final int adminPort = FreePorts.any();
    private final HttpServer downstream = downstream();
    private final String downstreamUrl = "http://127.0.0.1:" + downstream.getAddress().getPort();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("runtime.admin.port", String.valueOf(adminPort));
        properties.put("runtime.admin.token-sha256", Definitions.sha256(TOKEN));
        properties.put("runtime.outbound.allow", downstreamUrl);
        return properties;
    }

    @AfterAll
    void stopDownstream() {
        downstream.stop(0);
    }

    @Test
    void anOperatorListsFiltersFollowsCancelsAndResolvesExecutionsInTheBrowser() throws Exception {
        Path node = ExternalTool.require("node", "apt-get install nodejs");
        Path npm = ExternalTool.require("npm", "apt-get install npm");
        Path chromium = ExternalTool.require("chromium", "apt-get install chromium");
        registerSeatBooking();
        registerSlowOrder();
        if (!Files.isDirectory(E2E.resolve("node_modules/playwright-core"))) {
            run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        }
        Path screenshots = Path.of(System.getenv().getOrDefault("CONSOLE_SCREENSHOTS", TARGET.resolve("screenshots").toString()));
        Files.createDirectories(TARGET);
        String out = run(List.of(node.toString(), "console-e2e.mjs"), Map.of(
                "CONSOLE_URL", "http://127.0.0.1:" + adminPort + "/console/",
                "API_URL", "http://127.0.0.1:" + apiPort,
                "DOWNSTREAM_URL", downstreamUrl,
                "ADMIN_TOKEN", TOKEN,
                "TENANT_KEYS", "acme=" + TestCredentials.key("acme") + ",globex=" + TestCredentials.key("globex"),
                "SCREENSHOTS", screenshots.toString(),
                "ARTIFACTS", TARGET.toString(),
                "CHROMIUM", chromium.toString()), 600);
        assertTrue(out.contains("console e2e: all checks passed"), out);
    }

    @Test
    void theTimelineFoldsHistoriesAsItsUnitTestsSay() throws Exception {
        Path node = ExternalTool.require("node", "apt-get install nodejs");
        String out = run(List.of(node.toString(), "--test", "timeline.test.mjs"), Map.of(), 120);
        assertTrue(out.contains("# fail 0"), out);
    }

    /**
     * A declarative intent type whose second step is refused and whose first step's compensation is refused
     * too, so an execution of it ends FAILED (a compensation that gave up).
     */
    private void registerSeatBooking() {
        String definition = """
                intentType: seat-booking
                version: 1
                description: Holds a seat, then charges; the charge is refused and so is the seat's release.
                steps:
                  - name: hold_seat
                    action: { method: POST, url: "%1$s/ok" }
                    compensation: { method: POST, url: "%1$s/refuse" }
                    compensationRetry: { maxAttempts: 2, initialBackoff: 50ms }
                  - name: charge
                    action: { method: POST, url: "%1$s/refuse" }
                    retry: { maxAttempts: 2, initialBackoff: 50ms }
                """.formatted(downstreamUrl);
        register(definition);
    }

    /** A declarative intent type whose first step waits until the test releases the downstream's held answers. */
    private void registerSlowOrder() {
        register("""
                intentType: slow-order
                version: 1
                description: Waits for the stock service (the test releases it), then confirms.
                steps:
                  - name: wait_for_stock
                    action: { method: POST, url: "%1$s/hold" }
                    compensation: { method: POST, url: "%1$s/ok" }
                    timeout: 60s
                    retry: { maxAttempts: 1 }
                  - name: confirm
                    action: { method: POST, url: "%1$s/ok" }
                """.formatted(downstreamUrl));
    }

    private void register(String definition) {
        HttpResponse<String> registered = new ApiClient("http://127.0.0.1:" + adminPort).send("POST",
                "/admin/v1/intent-types", definition,
                Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/yaml"));
        assertTrue(registered.statusCode() == 201 || registered.statusCode() == 200, registered.body());
    }

    /**
     * Answers 200 {} on /ok; on /hold, 200 {} once /release is called (every call held until then); 503 on
     * anything else.
     */
    private static HttpServer downstream() {
        AtomicReference<CountDownLatch> held = new AtomicReference<>(new CountDownLatch(1));
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/release")) {
                    held.getAndSet(new CountDownLatch(1)).countDown();
                } else if (path.equals("/hold")) {
                    try {
                        held.get().await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                boolean ok = path.equals("/ok") || path.equals("/hold") || path.equals("/release");
                byte[] body = (ok ? "{}" : "{\"error\":\"unavailable\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command in the e2e directory, its output echoed and returned; fails on a non-zero exit. */
    private static String run(List<String> command, Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(E2E.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path log = Files.createTempFile("console-e2e", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        boolean exited = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String out = Files.readString(log);
        Files.delete(log);
        System.out.println(out);
        assertTrue(exited, String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n" + out);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }
}
