package dev.runtimeplane.core.port;

import java.time.Instant;
import java.util.Objects;

/**
 * The right of one owner (a replica) to drive one execution until {@code expiresAt}. Every grant
 * carries a fencing token larger than any granted before for that execution; the store rejects
 * writes whose token is not the current one.
 */
public record Lease(ExecutionKey execution, String owner, long fencingToken, Instant expiresAt) {

    public Lease {
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
