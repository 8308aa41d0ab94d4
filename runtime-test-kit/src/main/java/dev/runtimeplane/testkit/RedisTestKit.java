package dev.runtimeplane.testkit;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Redis for every test, found in this order:
 * <ol>
 *   <li>{@code REDIS_URI} (environment variable or system property) when set;</li>
 *   <li>a Testcontainers {@code redis:7} container when a Docker engine answers;</li>
 *   <li>a {@code redis-server} binary on the PATH, started on a free port with persistence off;</li>
 *   <li>otherwise the test fails with a message that says how to get Redis.</li>
 * </ol>
 * The {@link #shared()} Redis lives as long as the test JVM and is never flushed: tests keep apart by
 * using their own key prefixes. Independent servers ({@link #startServer()}) and clusters
 * ({@link #startCluster()}) belong to the test that starts them and need the {@code redis-server} binary.
 */
public final class RedisTestKit {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTestKit.class);
    private static RedisEndpoint shared;

    private RedisTestKit() {
    }

    /** The Redis shared by all tests of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized RedisEndpoint shared() {
        if (shared == null) {
            shared = provision();
            LOG.info("using Redis at {} ({})", shared.uri(), shared.source());
        }
        return shared;
    }

    /**
     * A new, independent {@code redis-server} on a free port that the test may stop and restart.
     * {@code extraArguments} are added to its command line, e.g. {@code "--appendonly", "yes"} for a
     * server that keeps its data across a restart.
     */
    public static RedisServer startServer(String... extraArguments) {
        RedisServer server = new RedisServer(FreePorts.any(), List.of(extraArguments));
        stopAtExit(server);
        return server.start();
    }

    /** A new three-master Redis Cluster of local {@code redis-server} processes. */
    public static RedisCluster startCluster() {
        RedisCluster cluster = new RedisCluster();
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "redis-cluster-stop"));
        return cluster;
    }

    private static RedisEndpoint provision() {
        String configured = System.getProperty("REDIS_URI", System.getenv("REDIS_URI"));
        if (configured != null && !configured.isBlank()) {
            return new RedisEndpoint(configured, "REDIS_URI");
        }
        if (dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7"))
                    .withExposedPorts(6379);
            container.start();
            return new RedisEndpoint("redis://" + container.getHost() + ":" + container.getMappedPort(6379),
                    "Testcontainers redis:7");
        }
        if (RedisBinaries.serverAvailable()) {
            return new RedisEndpoint(startServer().uri(), "local redis-server binary");
        }
        throw new IllegalStateException(RedisBinaries.HOW_TO_GET_REDIS);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("no Docker engine", e);
            return false;
        }
    }

    private static void stopAtExit(RedisServer server) {
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-server-stop-" + server.port()));
    }
}
