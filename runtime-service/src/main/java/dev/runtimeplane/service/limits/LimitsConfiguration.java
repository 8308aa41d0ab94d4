package dev.runtimeplane.service.limits;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * {@code runtime.limits.*}: admission control at the API edge. Replica limits answer 503 {@code overloaded},
 * tenant limits 429 {@code tenant-limit}; both with Retry-After. Every key can be overridden by its
 * environment variable ({@code runtime.limits.tenant-sessions} -> {@code RUNTIME_LIMITS_TENANT_SESSIONS}).
 * The replica's executions in flight are bounded by {@code runtime.saga.max-executions}.
 */
@ConfigurationProperties("runtime.limits")
public class LimitsConfiguration {

    /** Intent submits this replica works on at once (waiting for the WAL and Redis); more answer 503. */
    private int startsInFlight = 256;
    /** Event streams (SSE clients, one saga subscription each) this replica serves at once; more answer 503. */
    private int streamClients = 1024;
    /** Tenants this replica keeps counters for; a new tenant past it answers 503 (idle ones are forgotten first). */
    private int trackedTenants = 10_000;
    /** One tenant's intent submits in flight on this replica; more answer 429. */
    private int tenantStartsInFlight = 64;
    /** One tenant's executions held by this replica (running, queued, waiting); more submits answer 429. */
    private int tenantExecutions = 256;
    /** One tenant's open sessions across all replicas (counted in Redis); more creates answer 429. 0 = no limit. */
    private int tenantSessions = 10_000;
    /** One tenant's session creates and intent submits per second on this replica (token bucket refill). */
    private double tenantRequestsPerSecond = 50;
    /** The bucket's size: how many such requests a tenant may send at once after being idle. */
    private int tenantRequestBurst = 100;
    /** Retry-After for limits that free up as work finishes (starts, executions, streams, sessions). */
    private Duration retryAfter = Duration.ofSeconds(1);

    public int getStartsInFlight() {
        return startsInFlight;
    }

    public void setStartsInFlight(int startsInFlight) {
        this.startsInFlight = startsInFlight;
    }

    public int getStreamClients() {
        return streamClients;
    }

    public void setStreamClients(int streamClients) {
        this.streamClients = streamClients;
    }

    public int getTrackedTenants() {
        return trackedTenants;
    }

    public void setTrackedTenants(int trackedTenants) {
        this.trackedTenants = trackedTenants;
    }

    public int getTenantStartsInFlight() {
        return tenantStartsInFlight;
    }

    public void setTenantStartsInFlight(int tenantStartsInFlight) {
        this.tenantStartsInFlight = tenantStartsInFlight;
    }

    public int getTenantExecutions() {
        return tenantExecutions;
    }

    public void setTenantExecutions(int tenantExecutions) {
        this.tenantExecutions = tenantExecutions;
    }

    public int getTenantSessions() {
        return tenantSessions;
    }

    public void setTenantSessions(int tenantSessions) {
        this.tenantSessions = tenantSessions;
    }

    public double getTenantRequestsPerSecond() {
        return tenantRequestsPerSecond;
    }

    public void setTenantRequestsPerSecond(double tenantRequestsPerSecond) {
        this.tenantRequestsPerSecond = tenantRequestsPerSecond;
    }

    public int getTenantRequestBurst() {
        return tenantRequestBurst;
    }

    public void setTenantRequestBurst(int tenantRequestBurst) {
        this.tenantRequestBurst = tenantRequestBurst;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }
}
