package dev.runtimeplane.state;

import static dev.runtimeplane.state.RedisGateway.number;
import static dev.runtimeplane.state.RedisGateway.text;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Tells every replica's session journal of the closes made through any replica: a Redis stream
 * ({@code <prefix>:closes}) that a close appends to once it is journaled and applied, and that each
 * session journal reads to journal the close too, for the sessions it tracks. So a session closed
 * through replica B stays closed when Redis loses its data and replica A replays its own journal.
 *
 * <p>The stream is bounded (XADD MAXLEN ~ {@code closeFeedLength}): a replica that stops reading for
 * longer than that many closes misses the oldest; its floorKeeper still journals a close when it finds
 * the session's tombstone in Redis.
 */
final class CloseFeed {

    /** A close as the stream carries it; {@code id} is the stream entry's id, to read on after it. */
    record Close(String id, TenantId tenant, SessionId session, Instant until) {
    }

    private final RedisGateway redis;
    private final String key;
    private final long length;

    CloseFeed(RedisGateway redis, KeyLayout keys, StateSurfaceOptions options) {
        this.redis = redis;
        this.key = keys.closeFeed();
        this.length = options.closeFeedLength();
    }

    CompletableFuture<String> publish(TenantId tenant, SessionId session, Instant until) {
        Map<String, byte[]> fields = Map.of("t", text(tenant.value()), "s", text(session.value()),
                "u", number(until.toEpochMilli()));
        return redis.call("publish session close", commands -> commands.xadd(key,
                XAddArgs.Builder.maxlen(length).approximateTrimming(), fields));
    }

    /** Up to {@code count} closes after the entry {@code afterId} ("0" for the oldest kept); never blocks. */
    CompletableFuture<List<Close>> read(String afterId, int count) {
        return redis.call("read session closes", commands -> commands.xread(XReadArgs.Builder.count(count),
                        XReadArgs.StreamOffset.from(key, afterId)))
                .thenApply(messages -> messages.stream().map(CloseFeed::close).toList());
    }

    private static Close close(StreamMessage<String, byte[]> message) {
        Map<String, byte[]> body = message.getBody();
        return new Close(message.getId(), TenantId.of(string(body.get("t"))), SessionId.of(string(body.get("s"))),
                Instant.ofEpochMilli(Long.parseLong(string(body.get("u")))));
    }

    private static String string(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
