package dev.runtimeplane.core.port;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Makes a replica id belong to one running process at a time. Leases are granted to a replica id, so two
 * processes sharing one would silently take each other's executions. Each process claims its id with a
 * random instance nonce for a TTL and keeps claiming it before the TTL runs out; a process killed without
 * releasing it holds it until then. The state surface implements it on Redis.
 *
 * <p>Failures complete the futures exceptionally with {@code UnavailableException} when the store cannot
 * be reached.
 */
public interface ReplicaRegistry {

    /**
     * Holds {@code replicaId} for {@code instance} for {@code ttl}: takes it when nobody holds it, extends
     * it when {@code instance} does. True when {@code instance} holds it now; false when another instance
     * does (its claim has not lapsed).
     */
    CompletableFuture<Boolean> claim(String replicaId, String instance, Duration ttl);

    /** Gives {@code replicaId} up if {@code instance} still holds it; otherwise does nothing. */
    CompletableFuture<Void> release(String replicaId, String instance);
}
