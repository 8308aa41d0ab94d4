package dev.runtimeplane.service.config;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Development mode ({@code runtime.development-mode=true}): a {@code redis-server} child process on a free
 * loopback port, persistence off, stopped with the service. It is a component only so that {@code /health}
 * says, on every probe, that this process is not fit for production (status DEGRADED, still ready). The
 * image never switches it on and has no {@code redis-server} binary.
 */
public final class DevelopmentRedis implements Component {

    public static final String NAME = "developmentMode";
    static final String WARNING = "DEVELOPMENT MODE: this process started its own Redis (persistence off, stopped with "
            + "the service); never use it in production: set REDIS_URI and leave runtime.development-mode off";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private Process process;
    private String uri;

    /** Starts the server (once) and returns its URI when it answers PING. */
    synchronized String uri() {
        if (uri == null) {
            int port = freePort();
            try {
                Path dir = Files.createTempDirectory("runtime-plane-dev-redis-");
                process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--dir", dir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile())
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("development mode needs a redis-server binary on the PATH "
                        + "(Debian/Ubuntu: apt-get install redis-server), or set REDIS_URI", e);
            }
            awaitPing(port);
            uri = "redis://127.0.0.1:" + port;
        }
        return uri;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() {
        // started when the state surface asks for its URI, before any component starts
    }

    @Override
    public HealthSnapshot health() {
        return new HealthSnapshot(NAME, HealthStatus.DEGRADED, true, WARNING,
                Map.of("redisUri", uri == null ? "" : uri), Instant.now());
    }

    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitPing(int port) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the development redis-server exited with " + process.exitValue());
            }
            if (answersPing(port)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the development redis-server", e);
            }
        }
        close();
        throw new IllegalStateException("the development redis-server did not answer within " + STARTUP_TIMEOUT);
    }

    private static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the development redis-server", e);
        }
    }
}
