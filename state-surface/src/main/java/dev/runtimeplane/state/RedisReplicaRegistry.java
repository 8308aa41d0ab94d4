package dev.runtimeplane.state;

import static dev.runtimeplane.state.RedisGateway.number;
import static dev.runtimeplane.state.RedisGateway.text;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.port.ReplicaRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ReplicaRegistry} on Redis: one string per replica id ({@code <prefix>:replica:<id>}) holding the
 * nonce of the process instance that claimed it, expiring with the claim. Both operations are one script
 * each, so a claim can never overwrite another instance's live claim. Asynchronous; never throws.
 */
public final class RedisReplicaRegistry implements ReplicaRegistry {

    private static final LuaScript CLAIM = LuaScript.load("replica_claim");
    private static final LuaScript RELEASE = LuaScript.load("replica_release");

    private final RedisGateway redis;
    private final KeyLayout keys;

    RedisReplicaRegistry(RedisGateway redis, KeyLayout keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public CompletableFuture<Boolean> claim(String replicaId, String instance, Duration ttl) {
        return Futures.guard(() -> {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.toMillis() < 1) {
                throw new InvalidArgumentException("ttl", "ttl must be at least 1 ms, was " + ttl);
            }
            return redis.scriptForLong("claim replica id", CLAIM, List.of(keys.replica(replicaId)),
                            text(KeyLayout.requireValidOwner(instance)), number(ttl.toMillis()))
                    .thenApply(held -> held == 1);
        });
    }

    @Override
    public CompletableFuture<Void> release(String replicaId, String instance) {
        return Futures.guard(() -> redis.scriptForLong("release replica id", RELEASE, List.of(keys.replica(replicaId)),
                        text(KeyLayout.requireValidOwner(instance)))
                .thenApply(released -> null));
    }
}
