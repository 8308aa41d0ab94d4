package dev.runtimeplane.saga;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.util.Objects;

/** Who an execution belongs to: a tenant and the session that submitted it. */
public record SagaOwner(TenantId tenant, SessionId session) {

    public SagaOwner {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(session, "session");
    }
}
