package dev.runtimeplane.testkit;

import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Redis for every test, found in this order:
 * <ol>
 *   <li>{@code REDIS_URI} (environment variable or system property) when set;</li>
 *   <li>a Testcontainers {@code redis:7} container when a Docker engine answers and the container
 *       starts;</li>
 *   <li>a {@code redis-server} binary on the PATH, started on a free port with persistence off: also when
 *       a Docker engine answers but cannot start the container (no registry to pull from, no bridge
 *       network), which is logged as a warning rather than failing every test;</li>
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
        return provision(System.getProperty("REDIS_URI", System.getenv("REDIS_URI")), dockerAvailable(),
                RedisTestKit::startContainer);
    }

    /** The choice itself, with its inputs passed in so a test can make the container fail to start. */
    static RedisEndpoint provision(String configured, boolean dockerAvailable, Supplier<RedisEndpoint> container) {
        if (configured != null && !configured.isBlank()) {
            return new RedisEndpoint(configured, "REDIS_URI");
        }
        if (dockerAvailable) {
            try {
                return container.get();
            } catch (RuntimeException e) {
                if (!RedisBinaries.serverAvailable()) {
                    throw new IllegalStateException("a Docker engine answers but the redis:7 container did not start, "
                            + "and there is no redis-server binary to fall back to.\n" + RedisBinaries.HOW_TO_GET_REDIS, e);
                }
                LOG.warn("a Docker engine answers but the redis:7 container did not start ({}); "
                        + "falling back to the local redis-server binary", rootMessage(e));
            }
        }
        if (RedisBinaries.serverAvailable()) {
            return new RedisEndpoint(startServer().uri(), "local redis-server binary");
        }
        throw new IllegalStateException(RedisBinaries.HOW_TO_GET_REDIS);
    }

    private static RedisEndpoint startContainer() {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7")).withExposedPorts(6379);
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
        return new RedisEndpoint("redis://" + container.getHost() + ":" + container.getMappedPort(6379),
                "Testcontainers redis:7");
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
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
