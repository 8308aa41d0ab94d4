package dev.runtimeplane.service.limits;

/**
 * The limits admission control enforces. {@link #id} is stable: it is the problem's {@code limit} member
 * (429s) and the {@code limit} tag of {@code runtime.limits.refused}.
 */
public enum Limit {
    TENANT_REQUEST_RATE("request-rate", Scope.TENANT),
    TENANT_STARTS_IN_FLIGHT("starts-in-flight", Scope.TENANT),
    TENANT_EXECUTIONS("executions-in-flight", Scope.TENANT),
    TENANT_SESSIONS("sessions-open", Scope.TENANT),
    REPLICA_STARTS_IN_FLIGHT("starts-in-flight", Scope.REPLICA),
    REPLICA_STREAM_CLIENTS("stream-clients", Scope.REPLICA),
    REPLICA_TRACKED_TENANTS("tracked-tenants", Scope.REPLICA);

    /** Tenant limits answer 429, replica limits 503. */
    public enum Scope {
        TENANT, REPLICA
    }

    private final String id;
    private final Scope scope;

    Limit(String id, Scope scope) {
        this.id = id;
        this.scope = scope;
    }

    public String id() {
        return id;
    }

    public Scope scope() {
        return scope;
    }
}
