package dev.runtimeplane.state;

import dev.runtimeplane.core.error.UnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shared Lettuce connection (standalone, Sentinel or Cluster) that every call pipelines on.
 *
 * <p>It connects lazily and in the background: {@link #connectInBackground()} (called by the health
 * probe on every tick) starts an attempt when there is no connection yet, so a surface started while
 * Redis is down becomes usable by itself once Redis appears. After the first connect Lettuce
 * reconnects on its own. Until connected, and while disconnected, calls fail at once
 * ({@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}); every command has the command timeout.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    /** Keys are text, values bytes: session state is UTF-8 JSON, execution bodies are opaque bytes. */
    private static final RedisCodec<String, byte[]> CODEC = WireCodec.INSTANCE;
    private static final Duration FIRST_RECONNECT_DELAY = Duration.ofMillis(20);

    private final RedisTarget target;
    private final StateSurfaceOptions options;
    private final AtomicReference<Connection> current = new AtomicReference<>();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile Runnable connectedListener = () -> { };
    private volatile ClientResources resources;
    private volatile AbstractRedisClient client;
    private volatile String lastConnectFailure = "";
    private volatile boolean closed;

    /** An open connection and the command interface shared by all callers. */
    private record Connection(StatefulConnection<String, byte[]> connection,
                              RedisClusterAsyncCommands<String, byte[]> commands) {
    }

    RedisLink(StateSurfaceOptions options) {
        this.options = options;
        this.target = options.target();
    }

    /** Creates the client; no I/O (the first connection attempt is {@link #connectInBackground()}). */
    synchronized void start() {
        if (client != null || closed) {
            return;
        }
        resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(FIRST_RECONNECT_DELAY, options.reconnectDelayMax(), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        client = target.mode() == RedisTarget.Mode.CLUSTER ? clusterClient() : standaloneClient();
    }

    /** The shared commands; throws {@link UnavailableException} while no connection has been made yet. */
    RedisClusterAsyncCommands<String, byte[]> commands() {
        Connection connection = current.get();
        if (connection == null) {
            throw new UnavailableException(closed ? "the state store is closed"
                    : "the state store is not connected to Redis yet", null);
        }
        return connection.commands();
    }

    /** True when a connection exists and Lettuce considers it open (false while it reconnects). */
    boolean isOpen() {
        Connection connection = current.get();
        return connection != null && connection.connection().isOpen();
    }

    /** Runs {@code listener} (on a Lettuce thread; it must not block) each time a connection is first made. */
    void onConnected(Runnable listener) {
        connectedListener = listener;
    }

    boolean hasConnected() {
        return current.get() != null;
    }

    String lastConnectFailure() {
        return lastConnectFailure;
    }

    RedisTarget target() {
        return target;
    }

    /** Starts one connection attempt unless connected, already trying, or closed. Never blocks. */
    void connectInBackground() {
        if (closed || client == null || current.get() != null || !connecting.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Connection> attempt;
        try {
            attempt = connect();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((connection, error) -> {
            connecting.set(false);
            if (error != null) {
                noteConnectFailure(error);
            } else if (closed) {
                connection.connection().closeAsync();
            } else {
                current.set(connection);
                lastConnectFailure = "";
                LOG.info("connected to Redis ({})", target.display());
                connectedListener.run();
            }
        });
    }

    /**
     * PINGs Redis: the server, or in a cluster every master (a cluster with an unreachable master
     * cannot serve the keys of its slots).
     */
    CompletableFuture<?> ping() {
        RedisClusterAsyncCommands<String, byte[]> commands = commands();
        if (commands instanceof RedisAdvancedClusterAsyncCommands<String, byte[]> cluster) {
            return cluster.upstream().commands().ping().toCompletableFuture();
        }
        return commands.ping().toCompletableFuture();
    }

    @Override
    public synchronized void close() {
        closed = true;
        Connection connection = current.getAndSet(null);
        if (connection != null) {
            connection.connection().close();
        }
        if (client != null) {
            client.shutdown(0, options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (resources != null) {
            resources.shutdown(0, options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private CompletableFuture<Connection> connect() {
        if (client instanceof RedisClusterClient cluster) {
            // connectAsync needs the topology loaded first (only the blocking connect loads it itself).
            return cluster.refreshPartitionsAsync().toCompletableFuture()
                    .thenCompose(topology -> cluster.connectAsync(CODEC))
                    .thenApply(RedisLink::clusterConnection);
        }
        return ((RedisClient) client).connectAsync(CODEC, target.uris().getFirst()).toCompletableFuture()
                .thenApply(RedisLink::standaloneConnection);
    }

    private static Connection standaloneConnection(StatefulRedisConnection<String, byte[]> connection) {
        return new Connection(connection, connection.async());
    }

    private static Connection clusterConnection(StatefulRedisClusterConnection<String, byte[]> connection) {
        return new Connection(connection, connection.async());
    }

    private RedisClient standaloneClient() {
        RedisClient redis = RedisClient.create(resources);
        redis.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(socketOptions())
                .timeoutOptions(timeoutOptions())
                .build());
        return redis;
    }

    private RedisClusterClient clusterClient() {
        RedisClusterClient redis = RedisClusterClient.create(resources, target.uris());
        redis.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(socketOptions())
                .timeoutOptions(timeoutOptions())
                // Learn about failovers and moved slots from MOVED/ASK replies and reconnects at once.
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .build());
        return redis;
    }

    private SocketOptions socketOptions() {
        return SocketOptions.builder().connectTimeout(options.commandTimeout()).keepAlive(true).build();
    }

    private TimeoutOptions timeoutOptions() {
        return TimeoutOptions.builder().fixedTimeout(options.commandTimeout()).build();
    }

    /** Logs a failed attempt once per distinct reason, so an outage does not flood the log. */
    private void noteConnectFailure(Throwable error) {
        String reason = Failures.describe(error);
        if (!reason.equals(lastConnectFailure)) {
            LOG.warn("cannot connect to Redis ({}): {}; retrying in the background", target.display(), reason);
        }
        lastConnectFailure = reason;
    }
}
