package dev.runtimeplane.state;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * A plain Lettuce connection for tests to look at what the state surface stored (keys, TTLs) or to
 * change Redis behind its back. Understands the surface's {@code redis-cluster://} scheme.
 */
final class RawRedis implements AutoCloseable {

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> commands;

    RawRedis(String uri) {
        if (uri.startsWith("redis-cluster://")) {
            RedisClusterClient cluster = RedisClusterClient.create(RedisURI.create(uri.replace("redis-cluster://", "redis://")));
            StatefulRedisClusterConnection<String, String> clusterConnection = cluster.connect();
            client = cluster;
            connection = clusterConnection;
            commands = clusterConnection.sync();
        } else {
            RedisClient standalone = RedisClient.create(uri);
            StatefulRedisConnection<String, String> standaloneConnection = standalone.connect();
            client = standalone;
            connection = standaloneConnection;
            commands = standaloneConnection.sync();
        }
    }

    RedisClusterCommands<String, String> commands() {
        return commands;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
