package dev.runtimeplane.declarative;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.util.Map;

/** The metadata of the session that started an execution, which templates see as {@code session.metadata}. */
@FunctionalInterface
public interface SessionMetadataSource {

    SessionMetadataSource NONE = (tenant, session) -> Map.of();

    /** The session's metadata, or an empty map when it has none (or is gone). */
    Map<String, String> metadata(TenantId tenant, SessionId session);
}
