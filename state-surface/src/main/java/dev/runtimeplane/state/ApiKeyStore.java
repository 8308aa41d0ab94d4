package dev.runtimeplane.state;

import static dev.runtimeplane.state.RedisGateway.text;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Tenant API keys shared by every replica: one hash ({@code <prefix>:api-keys}), field a key's SHA-256 in hex,
 * value its record (the service owns the format). The field {@value #REVISION} counts changes, so replicas
 * poll one number to notice a new or revoked key; it lives in the same hash so a change and its count are
 * ordered on one connection even in a cluster. Asynchronous; never throws.
 */
public final class ApiKeyStore {

    static final String REVISION = "revision";

    private final RedisGateway redis;
    private final KeyLayout keys;

    ApiKeyStore(RedisGateway redis, KeyLayout keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** Stores {@code record} unless the hash has one; completes with empty when stored now, else with the one there. */
    public CompletableFuture<Optional<String>> putIfAbsent(String sha256, String record) {
        return Futures.guard(() -> redis.call("store an API key",
                        commands -> commands.hsetnx(keys.apiKeys(), sha256, text(record)))
                .thenCompose(stored -> stored ? bump().thenApply(revision -> Optional.<String>empty())
                        : get(sha256).thenApply(existing -> Optional.of(existing.orElse(record)))));
    }

    /** Stores {@code record}, replacing any (a revocation). */
    public CompletableFuture<Void> put(String sha256, String record) {
        return Futures.guard(() -> redis.call("update an API key",
                        commands -> commands.hset(keys.apiKeys(), sha256, text(record)))
                .thenCompose(ignored -> bump()).thenApply(revision -> null));
    }

    /** The record stored for {@code sha256}, if any. */
    public CompletableFuture<Optional<String>> get(String sha256) {
        return Futures.guard(() -> redis.call("read an API key", commands -> commands.hget(keys.apiKeys(), sha256))
                .thenApply(value -> Optional.ofNullable(value).map(ApiKeyStore::decode)));
    }

    /** Every stored record, by SHA-256. */
    public CompletableFuture<Map<String, String>> all() {
        return Futures.guard(() -> redis.call("read the API keys", commands -> commands.hgetall(keys.apiKeys()))
                .thenApply(entries -> {
                    Map<String, String> records = new LinkedHashMap<>();
                    entries.forEach((field, value) -> {
                        if (!REVISION.equals(field)) {
                            records.put(field, decode(value));
                        }
                    });
                    return records;
                }));
    }

    /** How many changes were stored (0 for none, or after Redis lost its data): a change means news. */
    public CompletableFuture<Long> revision() {
        return Futures.guard(() -> redis.call("read the API keys' revision",
                        commands -> commands.hget(keys.apiKeys(), REVISION))
                .thenApply(value -> value == null ? 0L : Long.parseLong(decode(value))));
    }

    private CompletableFuture<Long> bump() {
        return redis.call("count an API key change", commands -> commands.hincrby(keys.apiKeys(), REVISION, 1));
    }

    private static String decode(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
