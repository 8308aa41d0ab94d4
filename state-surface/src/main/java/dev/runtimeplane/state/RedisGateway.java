package dev.runtimeplane.state;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The stores' one way to Redis: runs a command or a script on the shared connection and completes
 * the returned future with its result, or with a typed error from {@link Failures}.
 *
 * <p>Futures complete on Lettuce's I/O threads; the stores only map replies there. Callers must not
 * block in stages they chain on them (use the {@code *Async} variants with their own executor).
 */
final class RedisGateway {

    private final RedisLink link;

    RedisGateway(RedisLink link) {
        this.link = link;
    }

    /** Runs {@code command} on the shared commands; {@code action} names it in errors ("read session state"). */
    <T> CompletableFuture<T> call(String action,
                                  Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command) {
        CompletionStage<T> pending;
        try {
            pending = command.apply(link.commands());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(Failures.map(action, e));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        pending.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(Failures.map(action, error));
            }
        });
        return result;
    }

    /** Runs a script that answers with an array (status first). */
    CompletableFuture<ScriptReply> script(String action, LuaScript script, List<String> keys, byte[]... args) {
        return this.<List<Object>>call(action, commands -> eval(commands, script, ScriptOutputType.MULTI, keys, args))
                .thenApply(ScriptReply::new);
    }

    /** Runs a script that answers with an integer. */
    CompletableFuture<Long> scriptForLong(String action, LuaScript script, List<String> keys, byte[]... args) {
        return call(action, commands -> eval(commands, script, ScriptOutputType.INTEGER, keys, args));
    }

    /**
     * Runs one call of a script that takes a batch: {@code header} values first, then each call's keys and values
     * in order; the script answers {@code replyWidth} values per call, returned as one reply each.
     */
    CompletableFuture<List<ScriptReply>> scriptBatch(String action, LuaScript script, List<byte[]> header,
                                                     List<ScriptCall> calls, int replyWidth) {
        List<String> keys = new ArrayList<>();
        List<byte[]> args = new ArrayList<>(header);
        for (ScriptCall call : calls) {
            keys.addAll(call.keys());
            args.addAll(call.args());
        }
        return script(action, script, keys, args.toArray(byte[][]::new)).thenApply(batch -> {
            List<ScriptReply> replies = new ArrayList<>(calls.size());
            for (int i = 0; i < calls.size(); i++) {
                replies.add(new ScriptReply(batch.values().subList(replyWidth * i, replyWidth * i + replyWidth)));
            }
            return replies;
        });
    }

    /** One item of a batched script call: its keys and its values, in the script's order. */
    record ScriptCall(List<String> keys, List<byte[]> args) {
    }

    static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] number(long value) {
        return text(Long.toString(value));
    }

    /** EVALSHA, and EVAL once when the server does not have the script cached (it caches it then). */
    private static <T> CompletionStage<T> eval(RedisClusterAsyncCommands<String, byte[]> commands, LuaScript script,
                                               ScriptOutputType type, List<String> keys, byte[][] args) {
        String[] keyArray = keys.toArray(String[]::new);
        return commands.<T>evalsha(script.sha1(), type, keyArray, args)
                .exceptionallyCompose(error -> Failures.unwrap(error) instanceof RedisNoScriptException
                        ? commands.<T>eval(script.source(), type, keyArray, args)
                        : CompletableFuture.failedStage(error));
    }
}
