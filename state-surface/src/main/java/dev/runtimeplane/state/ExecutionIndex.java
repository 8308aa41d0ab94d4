package dev.runtimeplane.state;

import static dev.runtimeplane.state.RedisGateway.number;
import static dev.runtimeplane.state.RedisGateway.text;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionLabels;
import dev.runtimeplane.core.port.ExecutionRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin index of every execution: one entry per execution (a summary of its record) in sorted sets
 * by state, tenant, intent type and session, plus one of all executions, each scored by the execution's
 * last change; terminal entries are trimmed once their record has expired. All its keys share the hash
 * tag {@code {ix}}, so {@code execution_index.lua} updates an entry in one step and
 * {@code execution_page.lua} reads one page in one step. See state-surface/README.md, "Execution indexes".
 */
public final class ExecutionIndex {

    public static final int MAX_PAGE_SIZE = 200;
    /** Index entries one page examines at most, whatever the filters: bounds the cost of one call. */
    public static final int PAGE_BUDGET = 500;
    /** Expired entries one update or page trims at most. */
    static final int TRIM_BATCH = 100;
    /** The Lua functions of every script that changes the index. */
    static final String LIBRARY = "execution_index_lib";
    private static final LuaScript UPDATE = LuaScript.load("execution_index", LIBRARY);
    private static final LuaScript PAGE = LuaScript.load("execution_page", LIBRARY);
    /** Updates one script call applies at most, and how many may wait for it. */
    private static final int MAX_BATCH = 256;
    private static final int MAX_WAITING = 100_000;
    /** Values per update in the update script's arguments. */
    private static final int UPDATE_FIELDS = 12;
    /** Values per item in a page script's reply. */
    private static final int SUMMARY_FIELDS = 10;
    private static final Pattern CURSOR = Pattern.compile("([0-9]{1,15}):([^:\\s]+:[^:\\s]+)");

    private final RedisGateway redis;
    private final KeyLayout keys;
    private final StateSurfaceOptions options;
    private final Batcher<Update, Void> updates = new Batcher<>("index updates", MAX_BATCH, MAX_WAITING,
            batch -> apply(batch).thenApply(changed -> Collections.nCopies(batch.size(), null)));

    ExecutionIndex(RedisGateway redis, KeyLayout keys, StateSurfaceOptions options) {
        this.redis = redis;
        this.keys = keys;
        this.options = options;
    }

    /**
     * Brings the execution's entry in line with {@code record} (ignored when the entry is as new or newer).
     * Updates submitted together are applied by one script call (see {@link Batcher}).
     */
    CompletableFuture<Void> update(ExecutionRecord record, String member) {
        long expiresAt = options.clock().now().toEpochMilli() + options.executionRetention().toMillis();
        return updates.submit(new Update(record, member, expiresAt));
    }

    /** Updates waiting for the next batch (a gauge). */
    public int updatesWaiting() {
        return updates.waiting();
    }

    private CompletableFuture<Long> apply(List<Update> batch) {
        List<byte[]> args = new ArrayList<>(3 + batch.size() * UPDATE_FIELDS);
        args.add(text(keys.indexPrefix()));
        args.add(number(options.clock().now().toEpochMilli()));
        args.add(number(TRIM_BATCH));
        for (Update update : batch) {
            ExecutionRecord record = update.record();
            ExecutionLabels labels = record.labels();
            args.addAll(List.of(text(update.member()), number(record.version()), text(record.state()),
                    number(record.terminal() ? 1 : 0), text(record.tenant().value()), text(record.session().value()),
                    text(labels.type()), number(labels.typeVersion()), text(labels.owner()),
                    number(labels.createdAtMillis()), number(labels.updatedAtMillis()), number(update.expiresAt())));
        }
        return redis.scriptForLong("index executions", UPDATE,
                List.of(keys.indexEntries(), keys.indexAll(), keys.indexExpiry()), args.toArray(byte[][]::new));
    }

    private record Update(ExecutionRecord record, String member, long expiresAt) {
    }

    /**
     * One page, newest change first: walks the smallest of the sets the filters name (all executions when
     * none) from the query's cursor and checks the other filters on each entry, examining at most
     * {@link #PAGE_BUDGET} entries.
     */
    public CompletableFuture<ExecutionPage> page(ExecutionQuery query) {
        return Futures.guard(() -> {
            if (query.limit() < 1 || query.limit() > MAX_PAGE_SIZE) {
                throw new InvalidArgumentException("limit", "limit must be 1 to " + MAX_PAGE_SIZE + ", was " + query.limit());
            }
            String cursorScore = "";
            String cursorMember = "";
            if (query.cursor() != null) {
                Matcher cursor = CURSOR.matcher(query.cursor());
                if (!cursor.matches()) {
                    throw new InvalidArgumentException("cursor", "cursor must be a nextCursor this list returned");
                }
                cursorScore = cursor.group(1);
                cursorMember = cursor.group(2);
            }
            List<String> keysOfPage = new ArrayList<>(List.of(keys.indexEntries(), keys.indexExpiry()));
            keysOfPage.addAll(candidates(query));
            return redis.script("list executions", PAGE, keysOfPage, text(keys.indexPrefix()),
                            number(options.clock().now().toEpochMilli()), number(TRIM_BATCH), text(cursorScore),
                            text(cursorMember), number(query.limit()), number(PAGE_BUDGET), bound(query.updatedAtMost()),
                            bound(query.updatedAfter()), filter(query.state()),
                            filter(query.tenant() == null ? null : query.tenant().value()),
                            filter(query.session() == null ? null : query.session().value()), filter(query.type()),
                            filter(query.typeVersion() == null ? null : query.typeVersion().toString()),
                            filter(query.owner()))
                    .thenApply(reply -> {
                        String score = reply.textAt(1);
                        String next = score.isEmpty() ? null : score + ":" + reply.textAt(2);
                        List<String> values = reply.textsAt(4);
                        List<ExecutionSummary> items = new ArrayList<>(values.size() / SUMMARY_FIELDS);
                        for (int i = 0; i + SUMMARY_FIELDS <= values.size(); i += SUMMARY_FIELDS) {
                            items.add(ExecutionSummary.of(values.subList(i, i + SUMMARY_FIELDS)));
                        }
                        return new ExecutionPage(items, next, reply.longAt(3));
                    });
        });
    }

    /** How many executions are indexed in each of {@code states} (ZCARD each: constant time). */
    public CompletableFuture<Map<String, Long>> countByState(List<String> states) {
        return Futures.guard(() -> {
            Map<String, CompletableFuture<Long>> counts = new LinkedHashMap<>();
            for (String state : states) {
                String key = keys.indexByState(state);
                counts.put(state, redis.call("count executions", commands -> commands.zcard(key)));
            }
            return CompletableFuture.allOf(counts.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
                Map<String, Long> result = new LinkedHashMap<>();
                counts.forEach((state, count) -> result.put(state, count.join()));
                return result;
            });
        });
    }

    /** The sets a query's filters name; the page script walks the smallest. */
    private List<String> candidates(ExecutionQuery query) {
        List<String> candidates = new ArrayList<>();
        if (query.session() != null) {
            candidates.add(keys.indexBySession(query.tenant(), query.session()));
        }
        if (query.type() != null) {
            candidates.add(keys.indexByType(query.type()));
        }
        if (query.tenant() != null) {
            candidates.add(keys.indexByTenant(query.tenant()));
        }
        if (query.state() != null) {
            candidates.add(keys.indexByState(query.state()));
        }
        if (candidates.isEmpty()) {
            candidates.add(keys.indexAll());
        }
        return candidates;
    }

    private static byte[] bound(Long millis) {
        return millis == null ? text("") : number(millis);
    }

    private static byte[] filter(String value) {
        return text(value == null ? "" : value);
    }

    /**
     * What to list; every filter may be null (any).
     *
     * @param updatedAtMost only executions whose last change is at or before this (epoch ms)
     * @param updatedAfter  only executions whose last change is after this (epoch ms)
     * @param cursor        the {@link ExecutionPage#nextCursor()} of the previous page, or null for the first
     */
    public record ExecutionQuery(String state, TenantId tenant, SessionId session, String type, Integer typeVersion,
                                 String owner, Long updatedAtMost, Long updatedAfter, int limit, String cursor) {

        public ExecutionQuery {
            if (session != null && tenant == null) {
                throw new InvalidArgumentException("session", "a session filter needs the tenant filter too");
            }
            if (typeVersion != null && type == null) {
                throw new InvalidArgumentException("version", "a version filter needs the type filter too");
            }
        }
    }

    /** A page of summaries, newest change first; {@code nextCursor} null at the end; {@code examined} index entries looked at. */
    public record ExecutionPage(List<ExecutionSummary> items, String nextCursor, long examined) {
    }

    /** One execution as the index knows it. */
    public record ExecutionSummary(TenantId tenant, ExecutionId execution, SessionId session, String type,
                                   int typeVersion, String state, boolean terminal, String owner, long createdAtMillis,
                                   long updatedAtMillis) {

        /** From the values execution_page.lua returns for one item, in its order. */
        static ExecutionSummary of(List<String> v) {
            return new ExecutionSummary(TenantId.of(v.get(0)), ExecutionId.of(v.get(1)), SessionId.of(v.get(2)), v.get(3),
                    Integer.parseInt(v.get(4)), v.get(5), "1".equals(v.get(6)), v.get(7), Long.parseLong(v.get(8)),
                    Long.parseLong(v.get(9)));
        }
    }
}
