package dev.runtimeplane.state;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps what Lettuce fails with to the runtime's typed errors: anything that says "Redis cannot be
 * reached or cannot serve right now" becomes {@link UnavailableException} (retrying later can
 * succeed); an error reply that retrying cannot fix is a defect and becomes {@link ErrorCode#INTERNAL}.
 */
final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
    /** Error replies of a server that is starting, failing over, busy or out of memory. */
    private static final List<String> TRANSIENT_REPLIES = List.of(
            "LOADING", "BUSY", "CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "READONLY", "NOREPLICAS", "OOM");

    private Failures() {
    }

    /** The typed error for {@code error}, which happened while doing {@code action} (e.g. "read session state"). */
    static RuntimePlaneException map(String action, Throwable error) {
        Throwable cause = unwrap(error);
        return switch (cause) {
            case RuntimePlaneException typed -> typed;
            case RedisCommandTimeoutException timeout ->
                    new UnavailableException("the state store is unavailable: Redis did not answer in time ("
                            + action + ")", timeout);
            case RedisCommandExecutionException reply when isTransient(reply) ->
                    new UnavailableException("the state store is unavailable: Redis cannot serve right now ("
                            + action + ")", reply);
            case RedisCommandExecutionException reply -> {
                LOG.error("Redis rejected a command ({})", action, reply);
                yield new RuntimePlaneException(ErrorCode.INTERNAL, "the state store failed (" + action + ")", null, reply);
            }
            case RedisException unreachable -> unreachable(action, unreachable);
            case CancellationException cancelled -> unreachable(action, cancelled);
            case IOException io -> unreachable(action, io);
            default -> {
                LOG.error("unexpected failure ({})", action, cause);
                yield new RuntimePlaneException(ErrorCode.INTERNAL, "the state store failed (" + action + ")", null, cause);
            }
        };
    }

    /** A one-line reason for logs and health details. */
    static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return root == cause ? message : (cause.getMessage() + ": " + message);
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static UnavailableException unreachable(String action, Throwable cause) {
        return new UnavailableException("the state store is unavailable: Redis is unreachable (" + action + ")", cause);
    }

    private static boolean isTransient(RedisCommandExecutionException reply) {
        String message = reply.getMessage() == null ? "" : reply.getMessage();
        return TRANSIENT_REPLIES.stream().anyMatch(message::startsWith);
    }
}
