package dev.runtimeplane.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runtimeplane.core.error.InvalidArgumentException;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisTargetTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void redisAndRedissAreStandalone() {
        RedisTarget target = RedisTarget.parse("redis://:secret@cache.local:6380/2", TIMEOUT);

        assertEquals(RedisTarget.Mode.STANDALONE, target.mode());
        RedisURI uri = target.uris().getFirst();
        assertEquals("cache.local", uri.getHost());
        assertEquals(2, uri.getDatabase());
        assertEquals(TIMEOUT, uri.getTimeout());
        assertEquals("standalone cache.local:6380", target.display());
        assertEquals(RedisTarget.Mode.STANDALONE, RedisTarget.parse("rediss://cache.local", TIMEOUT).mode());
    }

    @Test
    void sentinelUrisNameTheirSentinelsAndMaster() {
        RedisTarget target = RedisTarget.parse("redis-sentinel://s1:26379,s2:26380#main", TIMEOUT);

        assertEquals(RedisTarget.Mode.SENTINEL, target.mode());
        assertEquals("main", target.uris().getFirst().getSentinelMasterId());
        assertEquals("sentinel s1:26379,s2:26380 master main", target.display());
    }

    @Test
    void clusterUrisBecomeOneSeedUriPerNodeWithTheSameCredentials() {
        RedisTarget target = RedisTarget.parse("rediss-cluster://user:secret@n1:7000,n2:7001?verifyPeer=NONE", TIMEOUT);

        assertEquals(RedisTarget.Mode.CLUSTER, target.mode());
        assertEquals(List.of("n1", "n2"), target.uris().stream().map(RedisURI::getHost).toList());
        for (RedisURI seed : target.uris()) {
            assertEquals(true, seed.isSsl());
            RedisCredentials credentials = seed.getCredentialsProvider().resolveCredentials().block();
            assertEquals("user", credentials.getUsername());
            assertEquals("secret", String.valueOf(credentials.getPassword()));
        }
        assertEquals("cluster n1:7000,n2:7001", target.display());
    }

    @Test
    void rejectsUnknownSchemesWithoutRepeatingThePassword() {
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                () -> RedisTarget.parse("http://:hunter2@host:6379", TIMEOUT));

        assertEquals("redisUri", error.field().orElseThrow());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
        assertThrows(InvalidArgumentException.class, () -> RedisTarget.parse("localhost:6379", TIMEOUT));
        assertThrows(InvalidArgumentException.class, () -> RedisTarget.parse("redis-cluster://n1:7000,,n2:7001", TIMEOUT));
    }
}
