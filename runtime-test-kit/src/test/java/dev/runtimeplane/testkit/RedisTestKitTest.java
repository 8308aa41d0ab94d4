package dev.runtimeplane.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RedisTestKitTest {

    @Test
    void sharedRedisRoundTrips() {
        RedisEndpoint endpoint = RedisTestKit.shared();
        RedisClient client = RedisClient.create(endpoint.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String key = "kit-test:" + UUID.randomUUID();
            connection.sync().set(key, "value");
            assertEquals("value", connection.sync().get(key));
            connection.sync().del(key);
        } finally {
            client.shutdown();
        }
        assertEquals(endpoint, RedisTestKit.shared(), "one shared Redis per JVM");
    }

    @Test
    void anIndependentServerCanBeStoppedAndRestartedOnTheSamePort() {
        try (RedisServer server = RedisTestKit.startServer()) {
            RedisURI uri = RedisURI.create(server.uri());
            uri.setTimeout(Duration.ofSeconds(1));
            RedisClient client = RedisClient.create(uri);
            try {
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    connection.sync().set("k", "before");
                }
                server.stop();
                assertFalse(server.isRunning());
                assertThrows(RedisException.class, client::connect, "commands fail while the server is down");

                server.start();
                assertTrue(server.isRunning());
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    assertEquals("PONG", connection.sync().ping());
                    connection.sync().set("k", "after");
                    assertEquals("after", connection.sync().get("k"));
                }
                assertEquals(uri.getPort(), server.port());
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void theClusterAcceptsWritesInEverySlotRange() {
        try (RedisCluster cluster = RedisTestKit.startCluster()) {
            assertEquals(3, cluster.nodeUris().size());
            RedisClusterClient client = RedisClusterClient.create(cluster.uri());
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                Set<Integer> ranges = new HashSet<>();
                for (int i = 0; i < 300; i++) {
                    String key = "slot-test:" + i;
                    connection.sync().set(key, String.valueOf(i));
                    assertEquals(String.valueOf(i), connection.sync().get(key));
                    ranges.add(SlotHash.getSlot(key) * 3 / SlotHash.SLOT_COUNT);
                }
                assertEquals(Set.of(0, 1, 2), ranges, "keys reached all three thirds of the slot space");
                for (RedisServer node : cluster.nodes()) {
                    assertTrue(Long.parseLong(node.command("DBSIZE")) > 0, "every master holds keys");
                }
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void aContainerThatCannotStartFallsBackToTheLocalBinary() {
        RedisEndpoint endpoint = RedisTestKit.provision(null, true, () -> {
            throw new IllegalStateException("Could not pull image: registry unreachable");
        });
        assertEquals("local redis-server binary", endpoint.source());
        RedisClient client = RedisClient.create(endpoint.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertEquals("PONG", connection.sync().ping());
        } finally {
            client.shutdown();
        }
    }
}
