package dev.runtimeplane.service.api;

import dev.runtimeplane.state.Session;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/** Request and response bodies of the session routes. */
public final class SessionDtos {

    private SessionDtos() {
    }

    /**
     * Body of {@code POST /v1/sessions}.
     *
     * @param tenant     optional: the credential's tenant; naming another answers 403 (letters, digits, '-', '_'; up to 64)
     * @param user       who opens it
     * @param metadata   small labels, up to 32 entries
     * @param ttlSeconds idle time after which the session expires; default from configuration. Read as
     *                   JSON so that only a JSON integer is accepted (no true, 1.5 or "3600").
     */
    @Serdeable
    public record CreateSession(@Nullable String tenant, @Nullable String user, @Nullable Map<String, String> metadata,
                                @Nullable @Schema(type = "integer", format = "int64", minimum = "1",
                                        description = "idle seconds before the session expires, at most runtime.sessions.max-ttl")
                                JsonNode ttlSeconds) {
    }

    /** A session as clients see it (never the token, except once in {@link CreatedSession}). */
    @Serdeable
    public record SessionView(String sessionId, String tenant, String user, Map<String, String> metadata,
                              Instant createdAt, Instant expiresAt, long ttlSeconds) {

        static SessionView of(Session session) {
            return new SessionView(session.id().value(), session.tenant().value(), session.user(), session.metadata(),
                    session.createdAt(), session.expiresAt(), session.ttl().toSeconds());
        }
    }

    /** The answer to a create: the session and its bearer token, shown this once. */
    @Serdeable
    public record CreatedSession(String sessionId, String token, String tenant, String user,
                                 Map<String, String> metadata, Instant createdAt, Instant expiresAt) {
    }
}
