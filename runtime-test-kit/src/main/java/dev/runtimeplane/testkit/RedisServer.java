package dev.runtimeplane.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code redis-server} child process on a fixed loopback port, with persistence off, in its own
 * temporary directory. A test may {@link #stop()} it to cause an outage and {@link #start()} it again
 * on the same port. {@link #close()} stops it for good.
 */
public final class RedisServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final Path directory;
    private final List<String> extraArguments;
    private Process process;

    RedisServer(int port, List<String> extraArguments) {
        this.port = port;
        this.extraArguments = List.copyOf(extraArguments);
        try {
            this.directory = Files.createTempDirectory("redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The server process's pid while it runs (for tests that freeze it with SIGSTOP). */
    public synchronized long pid() {
        if (!isRunning()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the server (again) on its port and returns once it answers PING. */
    public synchronized RedisServer start() {
        if (isRunning()) {
            return this;
        }
        List<String> command = new ArrayList<>(List.of(
                RedisBinaries.server(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", directory.toString(), "--daemonize", "no"));
        command.addAll(extraArguments);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command.getFirst(), e);
        }
        awaitPing();
        LOG.info("redis-server started on port {} (pid {})", port, process.pid());
        return this;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits until it has exited. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        LOG.info("redis-server on port {} stopped", port);
    }

    /** Sends one command to this server with the kit's minimal client and returns the reply as text. */
    public String command(String... args) {
        try {
            return Resp.command(port, 2_000, args);
        } catch (IOException e) {
            throw new UncheckedIOException("redis on port " + port + " did not answer", e);
        }
    }

    @Override
    public void close() {
        stop();
        deleteQuietly(directory);
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with "
                        + process.exitValue() + "; see " + directory.resolve("redis.log"));
            }
            if (Resp.answersPing(port)) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + STARTUP_TIMEOUT.toSeconds() + " s; see " + directory.resolve("redis.log"));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}", root, e);
        }
    }
}
