package dev.runtimeplane.state;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A client session as stored.
 *
 * @param tenant    the owning tenant
 * @param id        the session id (128 random bits)
 * @param user      who opened it, as the caller named them
 * @param metadata  small caller-defined labels
 * @param createdAt when it was created
 * @param expiresAt when it expires unless touched again
 * @param ttl       how long each touch extends it from the moment of the touch
 */
public record Session(TenantId tenant, SessionId id, String user, Map<String, String> metadata,
                      Instant createdAt, Instant expiresAt, Duration ttl) {

    public Session {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(ttl, "ttl");
    }
}
