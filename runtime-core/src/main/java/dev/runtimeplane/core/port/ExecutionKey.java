package dev.runtimeplane.core.port;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.TenantId;
import java.util.Objects;

/** Locates an execution in the state store: executions live under their tenant. */
public record ExecutionKey(TenantId tenant, ExecutionId execution) {

    public ExecutionKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(execution, "execution");
    }
}
