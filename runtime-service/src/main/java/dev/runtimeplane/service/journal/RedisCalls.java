package dev.runtimeplane.service.journal;

import dev.runtimeplane.core.error.UnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Waiting on the Redis calls of the journaled registries (API keys, intent definitions). The state surface
 * bounds every command, so a wait ends; a failure comes out as the runtime's own exception, not wrapped.
 */
public final class RedisCalls {

    private static final Duration RETRY_DELAY = Duration.ofMillis(500);

    private RedisCalls() {
    }

    /** The call's result, or its failure unwrapped. */
    public static <T> T await(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * The call's result, the call made again while Redis is unavailable (a start that waits for Redis);
     * says once in {@code log} that it waits, to load {@code what}.
     */
    public static <T> T awaitAvailable(Supplier<CompletableFuture<T>> call, String what, Logger log)
            throws InterruptedException {
        boolean logged = false;
        while (true) {
            try {
                return await(call.get());
            } catch (UnavailableException e) {
                if (!logged) {
                    log.info("waiting for Redis to load the {}: {}", what, e.getMessage());
                    logged = true;
                }
                Thread.sleep(RETRY_DELAY);
            }
        }
    }
}
