package dev.runtimeplane.state;

import static dev.runtimeplane.state.RedisGateway.text;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The intent definitions registered while the service runs, shared by every replica: one hash
 * ({@code <prefix>:intent-types}), field {@code <type>@<version>}, value the definition's source text.
 * A (type, version) is immutable, so entries are only ever added: the hash's length is a change counter
 * replicas can poll cheaply ({@link #count()}) to notice a new definition. Asynchronous; never throws.
 */
public final class IntentTypeStore {

    private final RedisGateway redis;
    private final KeyLayout keys;

    IntentTypeStore(RedisGateway redis, KeyLayout keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** The field a definition is stored under. */
    public static String field(String intentType, int version) {
        return intentType + "@" + version;
    }

    /**
     * Stores {@code source} under {@code field} unless the field exists. Completes with empty when it was
     * stored now, else with the text already there (the same or another: the caller decides).
     */
    public CompletableFuture<Optional<String>> putIfAbsent(String field, String source) {
        return Futures.guard(() -> redis.call("store an intent definition",
                        commands -> commands.hsetnx(keys.intentTypes(), field, text(source)))
                .thenCompose(stored -> stored ? CompletableFuture.completedFuture(Optional.<String>empty())
                        : get(field).thenApply(existing -> Optional.of(existing.orElse(source)))));
    }

    /** The source stored under {@code field}, if any. */
    public CompletableFuture<Optional<String>> get(String field) {
        return Futures.guard(() -> redis.call("read an intent definition",
                        commands -> commands.hget(keys.intentTypes(), field))
                .thenApply(value -> Optional.ofNullable(value).map(IntentTypeStore::decode)));
    }

    /** Every stored definition, by field. */
    public CompletableFuture<Map<String, String>> all() {
        return Futures.guard(() -> redis.call("read the intent definitions",
                        commands -> commands.hgetall(keys.intentTypes()))
                .thenApply(entries -> {
                    Map<String, String> sources = new LinkedHashMap<>();
                    entries.forEach((field, value) -> sources.put(field, decode(value)));
                    return sources;
                }));
    }

    /** How many definitions are stored; it only grows (unless Redis lost its data), so a change means news. */
    public CompletableFuture<Long> count() {
        return Futures.guard(() -> redis.call("count the intent definitions",
                commands -> commands.hlen(keys.intentTypes())));
    }

    private static String decode(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
