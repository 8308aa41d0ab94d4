package dev.runtimeplane.service.process;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.TestCredentials;
import dev.runtimeplane.testkit.FreePorts;
import dev.runtimeplane.testkit.TempDirectories;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/runtime-service.jar}) as a child process on fixed free ports, for
 * tests that send it real signals. {@link #restart()} starts it again with the same ports, environment
 * and WAL directory.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final int apiPort;
    private final int managementPort;
    private final int adminPort;
    private final Map<String, String> environment;
    private final Path log;
    private final Process process;

    private ServiceProcess(int apiPort, int managementPort, int adminPort, Map<String, String> environment, Path log)
            throws IOException {
        this.apiPort = apiPort;
        this.managementPort = managementPort;
        this.adminPort = adminPort;
        this.environment = Map.copyOf(environment);
        this.log = log;
        Path jar = Path.of("target", "runtime-service.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with ./mvnw verify so the jar is packaged first");
        }
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(apiPort));
        builder.environment().put("ENDPOINTS_ALL_PORT", String.valueOf(managementPort));
        builder.environment().put("RUNTIME_ADMIN_PORT", String.valueOf(adminPort));
        this.process = builder.start();
    }

    /**
     * Starts the jar on free ports with {@code environment} added to this JVM's environment. Unless
     * given, WAL_DIR is a new temporary directory, RUNTIME_AUTH_API_KEYS the test tenants' keys, the
     * example intent types are switched on and the per-tenant request rate is lifted.
     */
    public static ServiceProcess start(Map<String, String> environment) throws IOException {
        Map<String, String> settings = new HashMap<>(environment);
        settings.putIfAbsent("RUNTIME_EXAMPLES_ENABLED", "true"); // the load the process tests drive
        // One tenant drives each test's load; the request rate limit is AdmissionLoadTest's subject, not theirs.
        settings.putIfAbsent("RUNTIME_LIMITS_TENANT_REQUESTS_PER_SECOND", "100000");
        settings.putIfAbsent("RUNTIME_LIMITS_TENANT_REQUEST_BURST", "100000");
        if (!settings.containsKey("WAL_DIR")) {
            settings.put("WAL_DIR", TempDirectories.create("service-wal").toString());
        }
        settings.putIfAbsent("RUNTIME_AUTH_API_KEYS", TestCredentials.PROVISIONED);
        return new ServiceProcess(FreePorts.any(), FreePorts.any(), FreePorts.any(), settings,
                Files.createTempFile("runtime-service-", ".log"));
    }

    /** A new process with the same ports, environment, WAL directory and log file. */
    public ServiceProcess restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("the service still runs");
        }
        Files.writeString(log, "\n==== restart ====\n", StandardOpenOption.APPEND);
        return new ServiceProcess(apiPort, managementPort, adminPort, environment, log);
    }

    public int apiPort() {
        return apiPort;
    }

    public int managementPort() {
        return managementPort;
    }

    /** The admin API ({@code RUNTIME_ADMIN_PORT}). */
    public ApiClient admin() {
        return new ApiClient("http://127.0.0.1:" + adminPort);
    }

    public Path walDirectory() {
        return Path.of(environment.get("WAL_DIR"));
    }

    public ApiClient api() {
        return new ApiClient("http://127.0.0.1:" + apiPort);
    }

    public URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    public Process process() {
        return process;
    }

    /** Status code of a GET, or -1 when nothing answered within {@code timeout}. */
    public static int status(URI uri, Duration timeout) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until {@code /health/ready} answers 200. */
    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + log());
            }
            if (status(management("/health/ready"), Duration.ofSeconds(1)) == 200) {
                return this;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the service was not ready within " + timeout + ":\n" + log());
    }

    /** Sends SIGKILL ({@code kill -9}: no drain, no flush) and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM (what {@code docker stop} and Kubernetes send). */
    public void sigterm() {
        process.destroy();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the service did not exit within " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
