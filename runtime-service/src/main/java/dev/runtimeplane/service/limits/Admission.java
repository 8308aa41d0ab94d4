package dev.runtimeplane.service.limits;

import dev.runtimeplane.core.error.OverloadedException;
import dev.runtimeplane.core.error.TenantLimitException;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.saga.SagaCoordinator;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission control at the API edge: decides at once, without waiting or queueing, whether a request may
 * start work. Past a tenant's limit the answer is 429 ({@link TenantLimitException}), past the replica's 503
 * ({@link OverloadedException}); both carry Retry-After. Request rate, starts in flight, executions held
 * and stream clients are counted on this replica; sessions open per tenant are counted across replicas in
 * Redis by the state surface. Every counter here is bounded and exported as a metric.
 */
@Singleton
public class Admission implements MeterBinder {

    /** Released when the admitted work is over (the submit answered, the stream closed). */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final LimitsConfiguration limits;
    private final SagaCoordinator coordinator;
    private final Map<TenantId, TenantCounters> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger startsInFlight = new AtomicInteger();
    private final AtomicInteger streamClients = new AtomicInteger();
    private final Map<Limit, AtomicLong> refused = new EnumMap<>(Limit.class);

    public Admission(LimitsConfiguration limits, SagaCoordinator coordinator) {
        this.limits = limits;
        this.coordinator = coordinator;
        for (Limit limit : Limit.values()) {
            refused.put(limit, new AtomicLong());
        }
    }

    /** A session create: charged to the tenant's request rate. */
    public void admitSessionCreate(TenantId tenant) {
        chargeRate(tenant, counters(tenant));
    }

    /** Counts a refusal the state surface made (sessions open per tenant, decided in Redis). */
    public void observe(Throwable failure) {
        if (failure instanceof CompletionException wrapped) {
            failure = wrapped.getCause();
        }
        if (failure instanceof TenantLimitException limited && Limit.TENANT_SESSIONS.id().equals(limited.limit())) {
            refused.get(Limit.TENANT_SESSIONS).incrementAndGet();
        }
    }

    /**
     * An intent submit: charged to the tenant's request rate, then held as a start in flight (replica and
     * tenant) until the permit is closed; refused when the tenant already has its executions on this replica.
     * Concurrent submits may pass the executions check together, so a tenant can exceed that limit by at most
     * its starts in flight.
     */
    public Permit admitStart(TenantId tenant) {
        TenantCounters counters = counters(tenant);
        chargeRate(tenant, counters);
        if (!tryHold(startsInFlight, limits.getStartsInFlight())) {
            throw replicaFull(Limit.REPLICA_STARTS_IN_FLIGHT, "this replica is starting " + limits.getStartsInFlight()
                    + " intents already, its limit");
        }
        if (!tryHold(counters.startsInFlight, limits.getTenantStartsInFlight())) {
            startsInFlight.decrementAndGet();
            throw tenantLimit(Limit.TENANT_STARTS_IN_FLIGHT, tenant, limits.getTenantStartsInFlight()
                    + " intent submits in flight", limits.getRetryAfter());
        }
        Permit permit = () -> {
            counters.startsInFlight.decrementAndGet();
            startsInFlight.decrementAndGet();
        };
        if (coordinator.executionsHeld(tenant) >= limits.getTenantExecutions()) {
            permit.close();
            throw tenantLimit(Limit.TENANT_EXECUTIONS, tenant, limits.getTenantExecutions()
                    + " executions in flight on this replica", limits.getRetryAfter());
        }
        return permit;
    }

    /** An event stream (SSE client): held until the permit is closed with the stream. */
    public Permit admitStream() {
        if (!tryHold(streamClients, limits.getStreamClients())) {
            throw replicaFull(Limit.REPLICA_STREAM_CLIENTS, "this replica serves " + limits.getStreamClients()
                    + " event streams already, its limit");
        }
        return streamClients::decrementAndGet;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("runtime.limits.starts.in.flight", startsInFlight, AtomicInteger::get)
                .description("Intent submits this replica works on now (bounded by runtime.limits.starts-in-flight)")
                .register(registry);
        Gauge.builder("runtime.limits.starts.in.flight.max", limits, LimitsConfiguration::getStartsInFlight)
                .register(registry);
        Gauge.builder("runtime.limits.stream.clients", streamClients, AtomicInteger::get)
                .description("Event streams (SSE clients) this replica serves now (bounded by runtime.limits.stream-clients)")
                .register(registry);
        Gauge.builder("runtime.limits.stream.clients.max", limits, LimitsConfiguration::getStreamClients)
                .register(registry);
        Gauge.builder("runtime.limits.tenants.tracked", tenants, Map::size)
                .description("Tenants this replica keeps admission counters for (bounded by runtime.limits.tracked-tenants)")
                .register(registry);
        refused.forEach((limit, count) -> FunctionCounter.builder("runtime.limits.refused", count, AtomicLong::get)
                .description("Requests refused by admission control (tenant: 429, replica: 503)")
                .tag("limit", limit.id()).tag("scope", limit.scope().name().toLowerCase(Locale.ROOT))
                .register(registry));
    }

    private void chargeRate(TenantId tenant, TenantCounters counters) {
        Duration wait = counters.rate.tryTake(System.nanoTime());
        if (wait != null) {
            throw tenantLimit(Limit.TENANT_REQUEST_RATE, tenant, limits.getTenantRequestsPerSecond()
                    + " requests per second (burst " + limits.getTenantRequestBurst() + ")", wait);
        }
    }

    /**
     * The tenant's counters. Past the bound on tracked tenants, idle ones (nothing in flight, a full bucket:
     * forgetting them changes no decision) are dropped first; if none is idle the replica is full.
     */
    private TenantCounters counters(TenantId tenant) {
        TenantCounters counters = tenants.get(tenant);
        if (counters != null) {
            return counters;
        }
        if (tenants.size() >= limits.getTrackedTenants()) {
            long now = System.nanoTime();
            tenants.values().removeIf(idle -> idle.startsInFlight.get() == 0 && idle.rate.isFull(now));
            if (tenants.size() >= limits.getTrackedTenants()) {
                throw replicaFull(Limit.REPLICA_TRACKED_TENANTS, "this replica counts " + limits.getTrackedTenants()
                        + " busy tenants already, its limit");
            }
        }
        return tenants.computeIfAbsent(tenant, t -> new TenantCounters(
                new TokenBucket(limits.getTenantRequestBurst(), limits.getTenantRequestsPerSecond(), System.nanoTime())));
    }

    private static boolean tryHold(AtomicInteger counter, int max) {
        while (true) {
            int current = counter.get();
            if (current >= max) {
                return false;
            }
            if (counter.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private TenantLimitException tenantLimit(Limit limit, TenantId tenant, String what, Duration retryAfter) {
        refused.get(limit).incrementAndGet();
        return new TenantLimitException(limit.id(), "tenant '" + tenant.value() + "' has reached its limit of " + what
                + "; retry after Retry-After", retryAfter);
    }

    private OverloadedException replicaFull(Limit limit, String message) {
        refused.get(limit).incrementAndGet();
        return new OverloadedException(message + "; retry later or on another replica", limits.getRetryAfter());
    }

    /** One tenant's counters on this replica. */
    private record TenantCounters(TokenBucket rate, AtomicInteger startsInFlight) {
        TenantCounters(TokenBucket rate) {
            this(rate, new AtomicInteger());
        }
    }
}
