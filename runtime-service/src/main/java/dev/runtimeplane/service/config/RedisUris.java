package dev.runtimeplane.service.config;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis to use: the configured URI; or, only in development mode ({@code runtime.development-mode=true}),
 * one the service starts itself. With neither the service does not start: production sets REDIS_URI.
 */
public final class RedisUris {

    private static final Logger LOG = LoggerFactory.getLogger(RedisUris.class);

    private RedisUris() {
    }

    public static String resolve(String configured, Optional<DevelopmentRedis> development) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        DevelopmentRedis redis = development.orElseThrow(() -> new IllegalStateException(
                "no Redis configured: set REDIS_URI (redis://host:6379); for a local try-out only, "
                        + "RUNTIME_DEVELOPMENT_MODE=true starts a throw-away redis-server"));
        String uri = redis.uri();
        LOG.warn("{} (at {})", DevelopmentRedis.WARNING, uri);
        return uri;
    }
}
