package dev.runtimeplane.service.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.service.health.HealthReport;
import dev.runtimeplane.service.testing.ApiClient;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The management server on its own, with a health report and a scraper the test controls: a DOWN
 * report, a scrape that hangs or fails, and the lifecycle.
 */
class ManagementServerIsolationTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<HealthReport> report = new AtomicReference<>(
            HealthReport.of(Map.of("wal", HealthSnapshot.up("wal", Map.of(), AT)), false));
    private ManagementServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDownComponentIs503OnHealthAndReadyButLiveStays200() {
        ApiClient management = start((ManagementServer.Scraper) null);
        assertEquals(200, management.get("/health", Map.of()).statusCode());
        report.set(HealthReport.of(Map.of("stateSurface",
                HealthSnapshot.down("stateSurface", "redis unreachable", Map.of(), AT)), false));
        HttpResponse<String> health = management.get("/health", Map.of());
        assertEquals(503, health.statusCode());
        assertTrue(health.body().startsWith("{\"status\":\"DOWN\",\"ready\":false,\"live\":true"), health.body());
        HttpResponse<String> ready = management.get("/health/ready", Map.of());
        assertEquals(503, ready.statusCode());
        assertEquals("{\"status\":\"DOWN\",\"reasons\":[\"stateSurface: redis unreachable\"]}", ready.body());
        assertEquals(200, management.get("/health/live", Map.of()).statusCode());
    }

    @Test
    void withoutAPrometheusRegistryTheScrapeIs404() {
        ApiClient management = start((ManagementServer.Scraper) null);
        assertEquals(404, management.get("/prometheus", Map.of()).statusCode());
    }

    @Test
    void aHangingScrapeDoesNotDelayProbes() throws Exception {
        CountDownLatch scrapeStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ApiClient management = start(out -> {
            scrapeStarted.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write("# a metric\nup 1\n".getBytes(StandardCharsets.UTF_8));
        });
        CompletableFuture<HttpResponse<String>> scrape = CompletableFuture.supplyAsync(
                () -> management.get("/prometheus", Map.of()));
        assertTrue(scrapeStarted.await(10, TimeUnit.SECONDS), "the scrape started");
        // The scrape hangs until released, so a probe answered now was not queued behind it, however slow
        // this machine is.
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> ready = management.sendOrFail("GET", "/health/ready", null, Map.of(), Duration.ofSeconds(30));
            assertEquals(200, ready.statusCode());
        }
        assertFalse(scrape.isDone(), "the scrape still hangs");
        release.countDown();
        HttpResponse<String> scraped = scrape.get(10, TimeUnit.SECONDS);
        assertEquals(200, scraped.statusCode());
        assertEquals("# a metric\nup 1\n", scraped.body());
    }

    @Test
    void aFailingScrapeIs500AndTheServerKeepsServing() {
        ApiClient management = start(out -> {
            throw new IOException("registry gone");
        });
        HttpResponse<String> scrape = management.get("/prometheus", Map.of());
        assertEquals(500, scrape.statusCode());
        assertEquals("application/problem+json", scrape.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(200, management.get("/health/ready", Map.of()).statusCode());
    }

    @Test
    void closingReleasesThePortAndIsIdempotent() throws IOException {
        start((ManagementServer.Scraper) null);
        int port = server.port();
        server.close();
        server.close();
        assertEquals(-1, server.port());
        try (ServerSocket again = new ServerSocket(port)) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void aTakenPortFailsTheStartWithTheSettingToChange() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            ManagementServer clash = new ManagementServer(report::get, null, ObjectMapper.getDefault(), "0.0.0.0",
                    taken.getLocalPort(), Duration.ZERO);
            IllegalStateException failure = assertThrows(IllegalStateException.class, clash::start);
            assertTrue(failure.getMessage().contains("ENDPOINTS_ALL_PORT"), failure.getMessage());
            assertEquals(-1, clash.port());
            clash.close();
        }
    }

    /** Read from /proc, as the kernel schedules it: the probes' loop wakes ahead of threads on the default slice. */
    @Test
    void theEventLoopRunsOnTheConfiguredShortSlice() throws IOException {
        Path tasks = Path.of("/proc/self/task");
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/sched"))
                && Files.readString(Path.of("/proc/thread-self/sched")).contains("se.slice"), "a Linux that reports se.slice");
        server = new ManagementServer(report::get, null, ObjectMapper.getDefault(), "127.0.0.1", 0, Duration.ofNanos(100_000));
        server.start();
        assertEquals(200, new ApiClient("http://127.0.0.1:" + server.port()).get("/health/live", Map.of()).statusCode());

        List<Long> loopSlices;
        try (Stream<Path> threads = Files.list(tasks)) {
            loopSlices = threads.filter(task -> read(task.resolve("comm")).strip().equals("management-loop"))
                    .map(task -> read(task.resolve("sched")).lines().filter(line -> line.startsWith("se.slice"))
                            .map(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
                            .findFirst().orElseThrow())
                    .toList();
        }
        assertTrue(loopSlices.contains(100_000L), "management-loop slices in ns: " + loopSlices);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return ""; // the thread ended meanwhile
        }
    }

    private ApiClient start(ManagementServer.Scraper scraper) {
        server = new ManagementServer(report::get, scraper, ObjectMapper.getDefault(), "127.0.0.1", 0, Duration.ZERO);
        server.start();
        return new ApiClient("http://127.0.0.1:" + server.port());
    }
}
