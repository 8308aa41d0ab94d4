package dev.runtimeplane.service.process;

import dev.runtimeplane.testkit.FreePorts;
import dev.runtimeplane.testkit.TempDirectories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
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
            directory = TempDirectories.create("haproxy");
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

    /**
     * Waits until HAProxy's own health checks have marked every replica UP, i.e. it routes to all of
     * them; asks HAProxy itself over its stats socket rather than waiting for some number of intervals.
     */
    void awaitAllUp(Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        String states = "";
        while (System.nanoTime() < end) {
            if (Files.exists(statsSocket())) {
                states = serverStates();
                if (!states.isEmpty() && states.lines().allMatch(line -> line.endsWith(",UP"))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("HAProxy did not mark every replica UP: " + states + "\n" + log());
    }

    /** {@code <server>,<status>} per line for the backend's servers, from {@code show stat}. */
    private String serverStates() throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(statsSocket()))) {
            channel.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) > 0) {
                reply.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            StringBuilder states = new StringBuilder();
            // CSV: pxname,svname,...; column 17 is the status (UP, DOWN, ...).
            reply.toString(StandardCharsets.US_ASCII).lines()
                    .map(line -> line.split(","))
                    .filter(fields -> fields.length > 17 && fields[0].equals("runtime") && fields[1].startsWith("r"))
                    .forEach(fields -> states.append(fields[1]).append(',').append(fields[17]).append('\n'));
            return states.toString().strip();
        }
    }

    private Path statsSocket() {
        return directory.resolve("admin.sock");
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
                    stats socket %s mode 600 level admin
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
                %s""".formatted(statsSocket(), port, timeout.toMillis(), interval.toMillis(), servers);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
