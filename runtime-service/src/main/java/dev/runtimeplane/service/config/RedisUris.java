package dev.runtimeplane.service.config;

import dev.runtimeplane.testkit.RedisEndpoint;
import dev.runtimeplane.testkit.RedisTestKit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis to use: the configured URI; or, in development mode (none configured), one the service
 * provisions itself (a Testcontainers {@code redis:7} when a Docker engine answers, else a local
 * {@code redis-server} binary, with persistence off) and stops on exit. Production sets REDIS_URI.
 */
public final class RedisUris {

    private static final Logger LOG = LoggerFactory.getLogger(RedisUris.class);

    private RedisUris() {
    }

    public static String resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        RedisEndpoint endpoint = RedisTestKit.shared();
        LOG.warn("DEVELOPMENT MODE: no Redis configured (set REDIS_URI), so this process started its own at {} ({}). "
                + "It keeps nothing on disk and stops when the service exits.", endpoint.uri(), endpoint.source());
        return endpoint.uri();
    }
}
