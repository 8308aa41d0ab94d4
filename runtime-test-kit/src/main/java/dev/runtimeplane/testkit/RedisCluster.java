package dev.runtimeplane.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of three masters (no replicas) from local {@code redis-server} processes, created
 * with {@code redis-cli --cluster create}. Closing it stops every node.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> nodes = new ArrayList<>();

    RedisCluster() {
        try {
            for (int i = 0; i < MASTERS; i++) {
                RedisServer node = new RedisServer(FreePorts.withClusterBus(), List.of(
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"));
                nodes.add(node);
                node.start();
            }
            create();
            awaitClusterOk();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A seed URI for a cluster client ({@code redis://127.0.0.1:port} of the first node). */
    public String uri() {
        return nodes.getFirst().uri();
    }

    /** The URI of every master. */
    public List<String> nodeUris() {
        return nodes.stream().map(RedisServer::uri).toList();
    }

    /** The master nodes, e.g. to send a command to one of them with {@link RedisServer#command}. */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of(RedisBinaries.cli(), "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(FORM_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }

    private void awaitClusterOk() {
        long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (nodes.stream().allMatch(node -> node.command("CLUSTER", "INFO").contains("cluster_state:ok"))) {
                return;
            }
            RedisServer.sleep(100);
        }
        throw new IllegalStateException("the cluster did not reach cluster_state:ok within " + FORM_TIMEOUT.toSeconds() + " s");
    }
}
