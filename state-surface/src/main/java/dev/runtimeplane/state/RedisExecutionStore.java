package dev.runtimeplane.state;

import static dev.runtimeplane.state.RedisGateway.number;
import static dev.runtimeplane.state.RedisGateway.text;

import dev.runtimeplane.core.error.FencedException;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ActivePage;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionLabels;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.ExecutionStore;
import dev.runtimeplane.core.port.Lease;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ExecutionStore} on Redis. An execution is one hash, its record: the snapshot, its lease and
 * fencing counter (the lease lapses by Redis's clock, see {@code execution_lease_lib.lua}) and its
 * events, so the fenced, versioned write that stores a snapshot and appends its events is one script of
 * two commands (a read and an HSET). The two indexes live in other keys: the one index of non-terminal
 * executions gets an entry <em>before</em> the record is written, with the lease grant (so a record that
 * exists is always in it; a walk over it with a cursor removes the entries of records that are gone or
 * terminal, see {@link #scanActive}), and loses it with the terminal write; the admin index
 * ({@link ExecutionIndex}) follows every write, versioned, also a retried or replayed one. On one server the
 * write's own script does both; on a cluster, where the indexes are in other slots, their scripts follow.
 *
 * <p>Every method is asynchronous and never throws; failures complete the future with a typed error.
 */
public final class RedisExecutionStore implements ExecutionStore {

    public static final int MAX_PAGE_SIZE = 1000;
    /** What {@code execution_probe} found: no record, a running one, a terminal one. */
    private static final long PROBED_NONE = 0;
    private static final long PROBED_RUNNING = 1;
    private static final long PROBED_TERMINAL = 2;
    /** The lease's fields in the record hash and Redis's clock, shared by the scripts that use them. */
    private static final String LEASE_LIBRARY = "execution_lease_lib";
    private static final LuaScript ACQUIRE = LuaScript.load("lease_acquire", LEASE_LIBRARY);
    private static final LuaScript RENEW = LuaScript.load("lease_renew", LEASE_LIBRARY);
    private static final LuaScript RELEASE = LuaScript.load("lease_release");
    private static final LuaScript HOLDER = LuaScript.load("lease_holder", LEASE_LIBRARY);
    private static final LuaScript WRITE = LuaScript.load("execution_write", LEASE_LIBRARY, ExecutionIndex.LIBRARY);
    private static final LuaScript EVENTS = LuaScript.load("execution_events");
    private static final LuaScript CANCEL_TAKE = LuaScript.load("cancel_take");
    private static final LuaScript ACTIVE_TOUCH = LuaScript.load("active_touch");
    private static final LuaScript ACTIVE_FORGET = LuaScript.load("active_forget");
    private static final LuaScript PROBE = LuaScript.load("execution_probe", LEASE_LIBRARY);
    /** Bound of {@link #activeUnderLease}: far above the executions one replica holds at once. */
    private static final int MAX_REMEMBERED = 100_000;

    private final RedisGateway redis;
    private final KeyLayout keys;
    private final StateSurfaceOptions options;
    private final ExecutionIndex index;
    private final Batcher<ActiveChange, Void> active = new Batcher<>("active-index changes", 256, 100_000,
            batch -> applyActive(batch).thenApply(touched -> Collections.nCopies(batch.size(), null)));
    /**
     * Record writes of different executions sent together, one script call per batch; null on a cluster,
     * where the executions' keys live on different servers and each write goes alone.
     */
    private final Batcher<RedisGateway.ScriptCall, ScriptReply> recordWrites;
    /** Lease requests for different executions sent together; null on a cluster (see {@link #recordWrites}). */
    private final Batcher<RedisGateway.ScriptCall, ScriptReply> leaseRequests;
    /**
     * Executions whose entry in the active index this replica wrote under the lease with this fencing token:
     * their later writes under that lease skip the touch. Forgotten on a terminal write, a fenced write, a
     * new or released lease.
     */
    private final Map<ExecutionKey, Long> activeUnderLease = new ConcurrentHashMap<>();

    RedisExecutionStore(RedisGateway redis, KeyLayout keys, StateSurfaceOptions options, ExecutionIndex index) {
        this.redis = redis;
        this.keys = keys;
        this.options = options;
        this.index = index;
        boolean cluster = options.target().mode() == RedisTarget.Mode.CLUSTER;
        this.recordWrites = cluster ? null : new Batcher<>("execution writes", 64, 100_000, this::writeRecords);
        this.leaseRequests = cluster ? null : new Batcher<>("lease requests", 64, 100_000, this::grantLeases);
    }

    @Override
    public CompletableFuture<ExecutionId> claimIdempotencyKey(TenantId tenant, SessionId session, String key,
                                                              ExecutionId candidate, Duration ttl) {
        return Futures.guard(() -> {
            Objects.requireNonNull(candidate, "candidate");
            String redisKey = keys.idempotencyKey(tenant, session, key);
            SetArgs onlyIfAbsent = SetArgs.Builder.nx().px(requirePositive("ttl", ttl));
            // SET NX GET: one atomic command that binds the key or returns the existing binding.
            return redis.call("claim idempotency key",
                            commands -> commands.setGet(redisKey, text(candidate.value()), onlyIfAbsent))
                    .thenApply(bound -> bound == null ? candidate : ExecutionId.of(string(bound)));
        });
    }

    @Override
    public CompletableFuture<Optional<Lease>> acquireLease(ExecutionKey execution, String owner, Duration ttl) {
        return Futures.guard(() -> {
            KeyLayout.requireValidOwner(owner);
            long ttlMillis = requirePositive("ttl", ttl).toMillis();
            // Measured from before the request: the holder's view of its expiry errs on the early side.
            Instant expiresAt = options.clock().now().plusMillis(ttlMillis);
            activeUnderLease.remove(execution); // fencing tokens start again after Redis lost its data
            // Whoever gets a lease is about to write a record that is not terminal, which must be in the active
            // index first: the entry is written together with the grant, so the writes need not wait for it.
            CompletableFuture<Void> touched = active.submit(ActiveChange.touch(activeMember(execution)));
            RedisGateway.ScriptCall request = new RedisGateway.ScriptCall(List.of(keys.executionRecord(execution)),
                    List.of(text(owner), number(ttlMillis)));
            CompletableFuture<ScriptReply> granted = leaseRequests == null
                    ? grantLeases(List.of(request)).thenApply(replies -> replies.get(0))
                    : leaseRequests.submit(request);
            return granted.thenCombine(touched, (reply, touch) -> switch (reply.status()) {
                        case OK -> {
                            rememberActive(execution, reply.longAt(1));
                            yield Optional.of(new Lease(execution, owner, reply.longAt(1), expiresAt));
                        }
                        case HELD -> Optional.<Lease>empty();
                        default -> throw reply.unexpected(ACQUIRE);
                    });
        });
    }

    @Override
    public CompletableFuture<Boolean> renewLease(Lease lease, Duration ttl) {
        return Futures.guard(() -> redis.scriptForLong("renew lease", RENEW,
                        List.of(keys.executionRecord(lease.execution())),
                        number(lease.fencingToken()), text(lease.owner()), number(requirePositive("ttl", ttl).toMillis()))
                .thenApply(renewed -> renewed == 1));
    }

    @Override
    public CompletableFuture<Void> releaseLease(Lease lease) {
        activeUnderLease.remove(lease.execution());
        return Futures.guard(() -> redis.scriptForLong("release lease", RELEASE,
                        List.of(keys.executionRecord(lease.execution())), number(lease.fencingToken()))
                .thenApply(released -> null));
    }

    @Override
    public CompletableFuture<Boolean> write(ExecutionRecord record, List<byte[]> newEvents, Lease lease) {
        return Futures.guard(() -> {
            Objects.requireNonNull(newEvents, "newEvents");
            if (!lease.execution().equals(record.key())) {
                throw new InvalidArgumentException("lease", "the lease is for execution " + lease.execution()
                        + ", not for " + record.key());
            }
            ExecutionKey execution = record.key();
            ExecutionLabels labels = record.labels();
            List<byte[]> args = new ArrayList<>(14 + newEvents.size());
            args.add(number(13 + newEvents.size()));
            args.addAll(List.of(number(lease.fencingToken()), number(record.version()),
                    text(record.state()), number(record.terminal() ? 1 : 0), text(record.session().value()),
                    record.body(), number(options.executionRetention().toMillis()), text(labels.type()),
                    number(labels.typeVersion()), text(labels.owner()), number(labels.createdAtMillis()),
                    number(labels.updatedAtMillis()), text(activeMember(execution))));
            args.addAll(newEvents);
            RedisGateway.ScriptCall write = new RedisGateway.ScriptCall(List.of(keys.executionRecord(execution)), args);
            // Index first, record second: a record that is not terminal is never without its entry (a
            // terminal one needs none, and a dangling entry is removed by scanActive). Once per lease: the
            // lease's grant wrote it (see acquireLease) and it stays while the record is not terminal; a
            // write after a terminal one under the same lease (an operator's retry) writes it again.
            boolean touch = !record.terminal() && !Objects.equals(activeUnderLease.get(execution), lease.fencingToken());
            CompletableFuture<?> indexed = touch
                    ? active.submit(ActiveChange.touch(activeMember(execution)))
                            .thenRun(() -> rememberActive(execution, lease.fencingToken()))
                    : CompletableFuture.completedFuture(null);
            return indexed.thenCompose(touched -> recordWrites == null ? writeRecords(List.of(write))
                            .thenApply(replies -> replies.get(0)) : recordWrites.submit(write))
                    .thenCompose(reply -> switch (reply.status()) {
                        case OK -> updateIndexes(record, reply.longAt(1) == 1, reply.longAt(3) == 1)
                                .thenApply(indexes -> true);
                        // Not applied, but the indexes are brought in line with what is stored: a retry of
                        // a write whose index updates failed must still complete them (the admin index
                        // ignores a version older than the one it holds).
                        case STALE -> updateIndexes(record, reply.longAt(1) == 1, true).thenApply(indexes -> false);
                        case FENCED -> {
                            activeUnderLease.remove(execution);
                            yield CompletableFuture.failedFuture(new FencedException(
                                    "write of execution " + execution.execution(), lease.fencingToken()));
                        }
                        default -> throw reply.unexpected(WRITE);
                    });
        });
    }

    /** Runs {@code lease_acquire} for these requests, each for another execution; one reply per request. */
    private CompletableFuture<List<ScriptReply>> grantLeases(List<RedisGateway.ScriptCall> requests) {
        return redis.scriptBatch("acquire lease", ACQUIRE, List.of(), requests, 2);
    }

    /**
     * Runs {@code execution_write} for these writes, each of another execution; one reply per write. On one
     * server the same call updates the indexes (see {@link #updateIndexes}).
     */
    private CompletableFuture<List<ScriptReply>> writeRecords(List<RedisGateway.ScriptCall> writes) {
        boolean indexHere = indexesWithWrites();
        List<byte[]> header = List.of(number(writes.size()), text(indexHere ? keys.indexPrefix() : ""),
                number(options.clock().now().toEpochMilli()), number(ExecutionIndex.TRIM_BATCH),
                text(indexHere ? keys.activeExecutions() : ""));
        return redis.scriptBatch("write execution", WRITE, header, writes, 4);
    }

    /** On one server a record write updates both indexes in the same script call; on a cluster they follow it. */
    private boolean indexesWithWrites() {
        return recordWrites != null;
    }

    /** Record writes waiting for the next batch (a gauge; always 0 on a cluster, where they go one by one). */
    public int recordWritesWaiting() {
        return recordWrites == null ? 0 : recordWrites.waiting();
    }

    /** Lease requests waiting for the next batch (a gauge; always 0 on a cluster). */
    public int leaseRequestsWaiting() {
        return leaseRequests == null ? 0 : leaseRequests.waiting();
    }

    /** Active-index changes waiting for the next batch (a gauge). */
    public int activeChangesWaiting() {
        return active.waiting();
    }

    private void rememberActive(ExecutionKey execution, long fencingToken) {
        if (activeUnderLease.size() >= MAX_REMEMBERED) {
            activeUnderLease.clear(); // forgetting costs one more touch per execution, never an entry
        }
        activeUnderLease.put(execution, fencingToken);
    }

    @Override
    public CompletableFuture<Optional<ExecutionRecord>> read(ExecutionKey execution) {
        return Futures.guard(() -> {
            String key = keys.executionRecord(execution);
            return redis.call("read execution",
                            commands -> commands.hmget(key, "v", "state", "terminal", "session", "body", "type", "tv",
                                    "owner", "created", "updated"))
                    .thenApply(fields -> record(execution, fields));
        });
    }

    @Override
    public CompletableFuture<List<byte[]>> events(ExecutionKey execution, long fromIndex) {
        return Futures.guard(() -> {
            if (fromIndex < 0) {
                throw new InvalidArgumentException("fromIndex", "fromIndex must not be negative, was " + fromIndex);
            }
            return redis.script("read execution events", EVENTS, List.of(keys.executionRecord(execution)),
                    number(fromIndex)).thenApply(reply -> reply.bytesListAt(1));
        });
    }

    @Override
    public CompletableFuture<Optional<String>> leaseHolder(ExecutionKey execution) {
        return Futures.guard(() -> redis.script("read lease holder", HOLDER, List.of(keys.executionRecord(execution)))
                .thenApply(reply -> reply.status() == ScriptReply.Status.OK
                        ? Optional.of(reply.textAt(1)) : Optional.<String>empty()));
    }

    @Override
    public CompletableFuture<Void> requestCancel(String owner, ExecutionKey execution, String request) {
        return Futures.guard(() -> {
            Objects.requireNonNull(request, "request");
            String key = keys.cancelRequests(owner);
            return redis.call("hand over a cancel",
                            commands -> commands.hset(key, activeMember(execution), text(request)))
                    .thenApply(added -> null);
        });
    }

    @Override
    public CompletableFuture<Map<ExecutionKey, String>> takeCancelRequests(String owner) {
        return Futures.guard(() -> redis.script("take cancel requests", CANCEL_TAKE, List.of(keys.cancelRequests(owner)))
                .thenApply(reply -> {
                    Map<ExecutionKey, String> requests = new LinkedHashMap<>();
                    reply.hashAt(1).forEach((member, request) -> requests.put(activeKey(member), string(request)));
                    return requests;
                }));
    }

    /**
     * One {@code ZSCAN} step over the active index (so the walk covers every entry present throughout,
     * whatever sits at its head), then one probe of each entry's record and lease, pipelined. Entries of
     * records that are gone (and unleased) or terminal are removed unless touched meanwhile; an entry
     * whose record is missing but whose lease is held belongs to a write in progress and is kept.
     */
    @Override
    public CompletableFuture<ActivePage> scanActive(String cursor, int limit) {
        return Futures.guard(() -> {
            Objects.requireNonNull(cursor, "cursor");
            requirePage(0, limit);
            String index = keys.activeExecutions();
            return redis.call("scan active executions",
                            commands -> commands.zscan(index, ScanCursor.of(cursor), ScanArgs.Builder.limit(limit)))
                    .thenCompose(step -> {
                        List<CompletableFuture<Optional<ExecutionKey>>> probes = step.getValues().stream()
                                .map(this::unleasedOrForget).toList();
                        String next = step.isFinished() ? ActivePage.START : step.getCursor();
                        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).thenApply(done ->
                                new ActivePage(probes.stream().map(CompletableFuture::join).flatMap(Optional::stream)
                                        .toList(), next));
                    });
        });
    }

    /** The entry's execution if its record is running and its lease free; removes the entry of a gone or finished one. */
    private CompletableFuture<Optional<ExecutionKey>> unleasedOrForget(ScoredValue<byte[]> entry) {
        String member = string(entry.getValue());
        ExecutionKey execution = activeKey(member);
        return redis.script("probe execution", PROBE,
                        List.of(keys.executionRecord(execution)))
                .thenCompose(reply -> {
                    long record = reply.longAt(1);
                    boolean leased = reply.longAt(2) == 1;
                    if (record == PROBED_TERMINAL || (record == PROBED_NONE && !leased)) {
                        return redis.scriptForLong("forget active execution", ACTIVE_FORGET,
                                        List.of(keys.activeExecutions()), text(member), text(Double.toString(entry.getScore())))
                                .thenApply(forgotten -> Optional.<ExecutionKey>empty());
                    }
                    return CompletableFuture.completedFuture(
                            record == PROBED_RUNNING && !leased ? Optional.of(execution) : Optional.<ExecutionKey>empty());
                });
    }

    private CompletableFuture<Long> applyActive(List<ActiveChange> batch) {
        List<byte[]> touches = new ArrayList<>();
        List<byte[]> removals = new ArrayList<>();
        for (ActiveChange change : batch) {
            (change.touch() ? touches : removals).add(text(change.member()));
        }
        List<byte[]> args = new ArrayList<>(2 + batch.size());
        args.add(number(options.clock().now().toEpochMilli()));
        args.add(number(touches.size()));
        args.addAll(touches);
        args.addAll(removals);
        return redis.scriptForLong("index active executions", ACTIVE_TOUCH, List.of(keys.activeExecutions()),
                args.toArray(byte[][]::new));
    }

    /**
     * Removes a terminal execution from the index of non-terminal executions and, when what it shows changed
     * ({@code relabeled}: created, or a new state or owner), brings its admin index entry up to date. Both
     * are idempotent, so a retried write may repeat them. On one server the write's own script did both.
     */
    private CompletableFuture<Void> updateIndexes(ExecutionRecord record, boolean storedTerminal, boolean relabeled) {
        if (storedTerminal) {
            activeUnderLease.remove(record.key());
        }
        if (indexesWithWrites()) {
            return CompletableFuture.completedFuture(null);
        }
        String member = activeMember(record.key());
        CompletableFuture<Void> activeIndex = storedTerminal
                ? active.submit(ActiveChange.removal(member)) : CompletableFuture.completedFuture(null);
        return relabeled ? CompletableFuture.allOf(activeIndex, index.update(record, member)) : activeIndex;
    }

    /** An entry of the index of non-terminal executions to put in (or move to the back), or to remove. */
    private record ActiveChange(String member, boolean touch) {
        static ActiveChange touch(String member) {
            return new ActiveChange(member, true);
        }

        static ActiveChange removal(String member) {
            return new ActiveChange(member, false);
        }
    }

    /** {@code <tenant>:<execution>}: ids contain no ':', so the member splits back unambiguously. */
    static String activeMember(ExecutionKey execution) {
        return execution.tenant().value() + ":" + execution.execution().value();
    }

    static ExecutionKey activeKey(String member) {
        int colon = member.indexOf(':');
        return new ExecutionKey(TenantId.of(member.substring(0, colon)), ExecutionId.of(member.substring(colon + 1)));
    }

    /** The record from its fields as {@link #read} lists them; empty when no snapshot was written (a lease only). */
    private static Optional<ExecutionRecord> record(ExecutionKey execution, List<KeyValue<String, byte[]>> fields) {
        if (!fields.get(0).hasValue()) {
            return Optional.empty();
        }
        ExecutionLabels labels = new ExecutionLabels(field(fields, 5), Integer.parseInt(field(fields, 6)),
                field(fields, 7), Long.parseLong(field(fields, 8)), Long.parseLong(field(fields, 9)));
        return Optional.of(new ExecutionRecord(execution.tenant(), SessionId.of(field(fields, 3)),
                execution.execution(), Long.parseLong(field(fields, 0)), field(fields, 1), "1".equals(field(fields, 2)),
                labels, fields.get(4).getValue()));
    }

    private static String field(List<KeyValue<String, byte[]>> fields, int index) {
        return string(fields.get(index).getValue());
    }

    private static Duration requirePositive(String field, Duration ttl) {
        Objects.requireNonNull(ttl, field);
        if (ttl.toMillis() < 1) {
            throw new InvalidArgumentException(field, field + " must be at least 1 ms, was " + ttl);
        }
        return ttl;
    }

    private static void requirePage(int offset, int limit) {
        if (offset < 0) {
            throw new InvalidArgumentException("offset", "offset must not be negative, was " + offset);
        }
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new InvalidArgumentException("limit", "limit must be 1 to " + MAX_PAGE_SIZE + ", was " + limit);
        }
    }

    private static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
