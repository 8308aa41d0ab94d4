package dev.runtimeplane.state.bench;

import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.state.ExecutionIndex;
import dev.runtimeplane.state.ExecutionIndex.ExecutionPage;
import dev.runtimeplane.state.ExecutionIndex.ExecutionQuery;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.state.StateSurfaceOptions;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prints what one page of the admin execution index costs on a nearly empty index and on one holding
 * 1,000,000 entries (filled directly in Redis, in the format {@code execution_index.lua} writes), for the
 * filters the admin API offers: none, a state, a tenant and a state, a type and version, an owner (checked
 * on entries only: the walk stops at its budget), and a page deep in the set resumed by its cursor. Figures
 * only, no pass/fail: the page cost should not grow with the index (O(log N) to find the start, then at
 * most the page budget of entries examined).
 *
 * <p>Run: {@code ./mvnw -q -pl state-surface exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.runtimeplane.state.bench.ExecutionIndexBenchmark [-Dbench.entries=1000000]}. It
 * starts its own redis-server unless {@code REDIS_URI} is set (it then uses its own key prefix).
 */
public final class ExecutionIndexBenchmark {

    private static final int TENANTS = 100;
    private static final int CALLS = 300;
    /** Generates entries server-side: 1% FAILED, 2% RUNNING, the rest COMPLETED; 100 tenants, 4 types, 2 versions, 8 owners. */
    private static final String FILL = """
            local prefix, from, to = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
            for i = from, to do
              local tenant = 't' .. (i % 100)
              local id = string.format('%032x', i)
              local member = tenant .. ':' .. id
              local state = 'COMPLETED'
              if i % 100 == 7 then state = 'FAILED' elseif i % 50 == 3 then state = 'RUNNING' end
              local type = 'type' .. (i % 4)
              local updated = 1700000000000 + i
              redis.call('HSET', prefix .. 'entries', member, cjson.encode({v = 3, s = state, x = state == 'RUNNING' and 0 or 1,
                  t = tenant, i = id, e = 's' .. (i % 100000), y = type, n = 1 + (i % 2), o = 'replica-' .. (i % 8),
                  c = updated - 1000, u = updated}))
              redis.call('ZADD', prefix .. 'all', updated, member)
              redis.call('ZADD', prefix .. 'state:' .. state, updated, member)
              redis.call('ZADD', prefix .. 'tenant:' .. tenant, updated, member)
              redis.call('ZADD', prefix .. 'type:' .. type, updated, member)
            end
            return to - from + 1
            """;

    private ExecutionIndexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int entries = Integer.getInteger("bench.entries", 1_000_000);
        String configured = System.getProperty("REDIS_URI", System.getenv("REDIS_URI"));
        RedisServer own = configured == null ? RedisTestKit.startServer() : null;
        String uri = configured != null ? configured : own.uri();
        String prefix = "ixbench" + (System.nanoTime() % 100_000);
        RedisClient client = RedisClient.create(uri);
        try (StateSurface surface = new StateSurface(StateSurfaceOptions.builder().redisUri(uri).keyPrefix(prefix).build());
             StatefulRedisConnection<String, String> raw = client.connect()) {
            surface.start();
            ExecutionIndex index = surface.executionIndex();
            String ixPrefix = prefix + ":{ix}:";
            fill(raw, ixPrefix, 0, 999);
            Map<String, double[]> small = measure(index);
            long started = System.nanoTime();
            for (int from = 1000; from < entries; from += 50_000) {
                fill(raw, ixPrefix, from, Math.min(entries - 1, from + 49_999));
            }
            System.out.printf(Locale.ROOT, "filled %,d index entries in %.1f s; Redis used %s%n", entries,
                    (System.nanoTime() - started) / 1e9, usedMemory(raw));
            Map<String, double[]> large = measure(index);
            System.out.printf(Locale.ROOT, "%-40s %12s %12s %12s %12s %9s %9s%n", "page (limit 50)", "1k p50 µs",
                    "1k p99 µs", "1M p50 µs", "1M p99 µs", "examined", "items");
            for (String name : small.keySet()) {
                double[] s = small.get(name);
                double[] l = large.get(name);
                System.out.printf(Locale.ROOT, "%-40s %12.0f %12.0f %12.0f %12.0f %9.0f %9.0f%n", name, s[0], s[1], l[0],
                        l[1], l[2], l[3]);
            }
            raw.sync().eval("for _, k in ipairs(redis.call('KEYS', ARGV[1] .. '*')) do redis.call('UNLINK', k) end return 0",
                    ScriptOutputType.INTEGER, new String[0], ixPrefix);
        } finally {
            client.shutdown();
            if (own != null) {
                own.close();
            }
        }
    }

    private static void fill(StatefulRedisConnection<String, String> raw, String prefix, int from, int to) {
        raw.sync().eval(FILL, ScriptOutputType.INTEGER, new String[0], prefix, String.valueOf(from), String.valueOf(to));
    }

    private static String usedMemory(StatefulRedisConnection<String, String> raw) {
        return raw.sync().info("memory").lines().filter(line -> line.startsWith("used_memory_human:"))
                .map(line -> line.substring(line.indexOf(':') + 1)).findFirst().orElse("?");
    }

    /** Per query: p50 and p99 latency (µs), entries examined and items returned by the last call. */
    private static Map<String, double[]> measure(ExecutionIndex index) throws Exception {
        Map<String, ExecutionQuery> queries = new LinkedHashMap<>();
        queries.put("no filter", query(null, null, null, null, null, null));
        queries.put("state=FAILED", query("FAILED", null, null, null, null, null));
        queries.put("tenant=t7 & state=FAILED", query("FAILED", TenantId.of("t7"), null, null, null, null));
        queries.put("type=type1 & version=2", query(null, null, "type1", 2, null, null));
        queries.put("owner=replica-3 & state=RUNNING", query("RUNNING", null, null, null, "replica-3", null));
        queries.put("owner=nobody (never matches)", query(null, null, null, null, "nobody", null));
        ExecutionPage first = index.page(query(null, null, null, null, null, null)).get(10, TimeUnit.SECONDS);
        String cursor = first.nextCursor();
        for (int i = 0; i < 5 && cursor != null; i++) {
            cursor = index.page(query(null, null, null, null, null, cursor)).get(10, TimeUnit.SECONDS).nextCursor();
        }
        queries.put("no filter, 7th page by cursor", query(null, null, null, null, null, cursor));
        Map<String, double[]> results = new LinkedHashMap<>();
        for (Map.Entry<String, ExecutionQuery> query : queries.entrySet()) {
            for (int i = 0; i < 50; i++) {
                index.page(query.getValue()).get(10, TimeUnit.SECONDS);
            }
            List<Long> micros = new ArrayList<>();
            ExecutionPage last = null;
            for (int i = 0; i < CALLS; i++) {
                long start = System.nanoTime();
                last = index.page(query.getValue()).get(10, TimeUnit.SECONDS);
                micros.add((System.nanoTime() - start) / 1000);
            }
            long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
            results.put(query.getKey(), new double[] {sorted[sorted.length / 2], sorted[sorted.length * 99 / 100],
                    last.examined(), last.items().size()});
        }
        return results;
    }

    private static ExecutionQuery query(String state, TenantId tenant, String type, Integer version, String owner,
                                        String cursor) {
        return new ExecutionQuery(state, tenant, null, type, version, owner, null, null, 50, cursor);
    }
}
