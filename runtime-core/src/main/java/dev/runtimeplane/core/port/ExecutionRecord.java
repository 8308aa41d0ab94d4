package dev.runtimeplane.core.port;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.util.Objects;

/**
 * The shared snapshot of one execution as the state store keeps it.
 *
 * @param tenant    the owning tenant (part of every key, so tenants never share keys)
 * @param session   the session that submitted it 
 * @param execution the execution's id
 * @param version   grows by at least one with every transition; a write whose version is not above
 *                  the stored one is ignored, which makes re-applying a journal idempotent
 * @param state     the state name (for indexes and operators; the body is authoritative)
 * @param terminal  true once the execution has finished (only an operator's retry of a FAILED one
 *                  makes it run again)
 * @param labels    type, version, owner and times, for the admin index
 * @param body      the coordinator's encoding of the full snapshot; opaque to the store
 */
public record ExecutionRecord(TenantId tenant, SessionId session, ExecutionId execution, long version,
                              String state, boolean terminal, ExecutionLabels labels, byte[] body) {

    public ExecutionRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(body, "body");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, was " + version);
        }
    }

    public ExecutionKey key() {
        return new ExecutionKey(tenant, execution);
    }
}
