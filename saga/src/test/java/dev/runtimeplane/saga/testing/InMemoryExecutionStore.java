package dev.runtimeplane.saga.testing;

import dev.runtimeplane.core.error.FencedException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ActivePage;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.ExecutionStore;
import dev.runtimeplane.core.port.Lease;
import dev.runtimeplane.core.time.RuntimeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A faithful in-memory {@link ExecutionStore}: idempotency claims with a TTL, leases with per-execution
 * fencing tokens that grow with every grant, fenced and versioned writes (a version not above the stored
 * one changes nothing), histories, the index of non-terminal executions (written before the record, as
 * Redis does, and walked in member order by {@link #scanActive}) and cancels handed to a lease holder. Every operation is
 * atomic (one lock), like a Redis script.
 */
public final class InMemoryExecutionStore implements ExecutionStore {

    private final RuntimeClock clock;
    private final Map<String, Claim> claims = new HashMap<>();
    private final Map<ExecutionKey, Lease> leases = new HashMap<>();
    private final Map<ExecutionKey, Long> tokens = new HashMap<>();
    private final Map<ExecutionKey, ExecutionRecord> records = new HashMap<>();
    private final Map<ExecutionKey, List<byte[]>> events = new HashMap<>();
    private final Map<String, Map<ExecutionKey, String>> cancelRequests = new HashMap<>();
    private final NavigableMap<String, ExecutionKey> active = new TreeMap<>();
    private long writes;
    private long fencedWrites;

    public InMemoryExecutionStore(RuntimeClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized CompletableFuture<ExecutionId> claimIdempotencyKey(TenantId tenant, SessionId session,
                                                                           String key, ExecutionId candidate,
                                                                           Duration ttl) {
        String id = tenant + "/" + session + "/" + key;
        Instant now = clock.now();
        Claim claim = claims.get(id);
        if (claim == null || !claim.expiresAt.isAfter(now)) {
            claim = new Claim(candidate, now.plus(ttl));
            claims.put(id, claim);
        }
        return CompletableFuture.completedFuture(claim.execution);
    }

    @Override
    public synchronized CompletableFuture<Optional<Lease>> acquireLease(ExecutionKey execution, String owner,
                                                                        Duration ttl) {
        Instant now = clock.now();
        Lease current = leases.get(execution);
        if (current != null && current.expiresAt().isAfter(now) && !current.owner().equals(owner)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        long token = tokens.merge(execution, 1L, Long::sum);
        Lease lease = new Lease(execution, owner, token, now.plus(ttl));
        leases.put(execution, lease);
        return CompletableFuture.completedFuture(Optional.of(lease));
    }

    @Override
    public synchronized CompletableFuture<Boolean> renewLease(Lease lease, Duration ttl) {
        Lease current = leases.get(lease.execution());
        if (!holds(current, lease)) {
            return CompletableFuture.completedFuture(false);
        }
        leases.put(lease.execution(), new Lease(lease.execution(), lease.owner(), lease.fencingToken(),
                clock.now().plus(ttl)));
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletableFuture<Void> releaseLease(Lease lease) {
        if (holds(leases.get(lease.execution()), lease)) {
            leases.remove(lease.execution());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Boolean> write(ExecutionRecord record, List<byte[]> newEvents, Lease lease) {
        writes++;
        if (!record.terminal()) {
            active.put(member(record.key()), record.key());
        }
        if (!holds(leases.get(record.key()), lease)) {
            fencedWrites++;
            return CompletableFuture.failedFuture(new FencedException("execution " + record.execution(),
                    lease.fencingToken()));
        }
        ExecutionRecord stored = records.get(record.key());
        if (stored != null && record.version() <= stored.version()) {
            return CompletableFuture.completedFuture(false);
        }
        records.put(record.key(), copy(record));
        List<byte[]> history = events.computeIfAbsent(record.key(), k -> new ArrayList<>());
        for (byte[] event : newEvents) {
            history.add(event.clone());
        }
        if (record.terminal()) {
            active.remove(member(record.key()));
        }
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletableFuture<Optional<ExecutionRecord>> read(ExecutionKey execution) {
        return CompletableFuture.completedFuture(Optional.ofNullable(records.get(execution)).map(this::copy));
    }

    @Override
    public synchronized CompletableFuture<List<byte[]>> events(ExecutionKey execution, long fromIndex) {
        List<byte[]> history = events.getOrDefault(execution, List.of());
        List<byte[]> page = new ArrayList<>();
        for (int i = (int) Math.min(fromIndex, history.size()); i < history.size(); i++) {
            page.add(history.get(i).clone());
        }
        return CompletableFuture.completedFuture(page);
    }

    @Override
    public synchronized CompletableFuture<Optional<String>> leaseHolder(ExecutionKey execution) {
        Lease lease = leases.get(execution);
        return CompletableFuture.completedFuture(lease != null && lease.expiresAt().isAfter(clock.now())
                ? Optional.of(lease.owner()) : Optional.empty());
    }

    @Override
    public synchronized CompletableFuture<Void> requestCancel(String owner, ExecutionKey execution, String request) {
        cancelRequests.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(execution, request);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Map<ExecutionKey, String>> takeCancelRequests(String owner) {
        Map<ExecutionKey, String> taken = cancelRequests.remove(owner);
        return CompletableFuture.completedFuture(taken == null ? Map.of() : taken);
    }

    @Override
    public synchronized CompletableFuture<ActivePage> scanActive(String cursor, int limit) {
        NavigableMap<String, ExecutionKey> rest = ActivePage.START.equals(cursor) ? active : active.tailMap(cursor, false);
        List<String> step = rest.keySet().stream().limit(limit).toList();
        List<ExecutionKey> unleased = new ArrayList<>();
        Instant now = clock.now();
        for (String member : step) {
            ExecutionKey key = active.get(member);
            ExecutionRecord record = records.get(key);
            Lease lease = leases.get(key);
            boolean leased = lease != null && lease.expiresAt().isAfter(now);
            if ((record == null && !leased) || (record != null && record.terminal())) {
                active.remove(member);
            } else if (record != null && !leased) {
                unleased.add(key);
            }
        }
        String next = step.size() < limit ? ActivePage.START : step.getLast();
        return CompletableFuture.completedFuture(new ActivePage(unleased, next));
    }

    /** Puts an entry into the active index without a record, as a write that failed after indexing leaves it. */
    public synchronized void indexOnly(ExecutionKey execution) {
        active.put(member(execution), execution);
    }

    public synchronized boolean indexed(ExecutionKey execution) {
        return active.containsKey(member(execution));
    }

    private static String member(ExecutionKey execution) {
        return execution.tenant().value() + ":" + execution.execution().value();
    }

    /** Forgets every snapshot and history (a Redis that lost its data); leases and claims stay. */
    public synchronized void loseData() {
        records.clear();
        events.clear();
        active.clear();
    }

    public synchronized Optional<Lease> currentLease(ExecutionKey execution) {
        return Optional.ofNullable(leases.get(execution));
    }

    public synchronized long writes() {
        return writes;
    }

    public synchronized long fencedWrites() {
        return fencedWrites;
    }

    private boolean holds(Lease current, Lease lease) {
        return current != null && current.fencingToken() == lease.fencingToken()
                && current.owner().equals(lease.owner()) && current.expiresAt().isAfter(clock.now());
    }

    private ExecutionRecord copy(ExecutionRecord r) {
        return new ExecutionRecord(r.tenant(), r.session(), r.execution(), r.version(), r.state(), r.terminal(),
                r.labels(), r.body().clone());
    }

    private record Claim(ExecutionId execution, Instant expiresAt) {
    }
}
