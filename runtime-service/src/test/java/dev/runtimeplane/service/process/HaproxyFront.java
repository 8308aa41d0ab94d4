package dev.runtimeplane.service.process;

import dev.runtimeplane.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in front of service replicas, gating traffic on {@code /health/ready} of each
 * replica's management port exactly as the Traefik labels in docker-compose.yml do: same path, same
 * interval and timeout, one failed check takes a replica out, one passing check brings it back.
 */
final class HaproxyFront implements AutoCloseable {

    private final int port = FreePorts.any();
    private final Path directory;
    private final Process process;

    HaproxyFront(List<ServiceProcess> replicas, Duration interval, Duration timeout) {
        try {
            directory = Files.createTempDirectory("haproxy");
            Path config = directory.resolve("haproxy.cfg");
            Files.writeString(config, config(replicas, interval, timeout));
            process = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("haproxy.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean installed() {
        try {
            return new ProcessBuilder("haproxy", "-v").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int port() {
        return port;
    }

    String log() throws IOException {
        return Files.readString(directory.resolve("haproxy.log"));
    }

    private String config(List<ServiceProcess> replicas, Duration interval, Duration timeout) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < replicas.size(); i++) {
            ServiceProcess replica = replicas.get(i);
            servers.append("    server r").append(i + 1).append(" 127.0.0.1:").append(replica.apiPort())
                    .append(" check port ").append(replica.managementPort()).append('\n');
        }
        return """
                global
                    maxconn 1024
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 30s
                    timeout server 30s
                    # Like Traefik's retry middleware: only a request that never reached a server is retried.
                    retries 3
                    retry-on conn-failure
                    option redispatch
                frontend api
                    bind 127.0.0.1:%d
                    default_backend runtime
                backend runtime
                    balance roundrobin
                    option httpchk GET /health/ready
                    http-check expect status 200
                    timeout check %dms
                    default-server inter %dms fall 1 rise 1
                %s""".formatted(port, timeout.toMillis(), interval.toMillis(), servers);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
