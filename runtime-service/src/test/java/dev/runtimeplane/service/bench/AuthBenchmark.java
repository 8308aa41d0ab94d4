package dev.runtimeplane.service.bench;

import com.nimbusds.jose.jwk.RSAKey;
import dev.runtimeplane.service.auth.JwksServer;
import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.Definitions;
import dev.runtimeplane.testkit.FreePorts;
import dev.runtimeplane.testkit.RedisTestKit;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Session-create and intent-submit throughput with tenant authentication on (an API key; a JWT verified against a
 * local JWKS) beside the same service with it off ({@link NoTenantCheck}), in one run, rounds alternating so drift
 * hits both alike. Closed loop: {@code clients} virtual threads each send a request, wait for the answer, repeat,
 * for {@code seconds}; in this JVM, so the load generator shares the CPU with the service (read the ratios).
 * Redis: {@code redis-server} on a free port (the test kit); WAL under fsync ALWAYS in a temp dir.
 *
 * <pre>./mvnw -q -pl runtime-service exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.runtimeplane.service.bench.AuthBenchmark -Dexec.args="10 16 2"</pre>
 */
public final class AuthBenchmark {

    private static final String KEY = "rpk_bench_key_0123456789abcdef0123456789abcdef0123";
    private static final String CREATE = "{\"user\":\"bench\"}";
    private static final String INTENT = "{\"type\":\"trip-booking\",\"payload\":{\"traveller\":\"bench\"}}";

    private AuthBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        System.out.printf("== auth benchmark: %d s per measurement, %d clients, %d rounds, %d cores%n", seconds, clients,
                rounds, Runtime.getRuntime().availableProcessors());
        try (JwksServer idp = new JwksServer()) {
            RSAKey signing = JwksServer.newKey("bench");
            idp.publish(signing);
            String jwt = JwksServer.sign(signing, JwksServer.claims("bench").build());
            Map<String, List<Double>> results = new java.util.LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (String mode : List.of("off", "on")) {
                    try (ApplicationContext context = start(mode, idp)) {
                        ApiClient api = new ApiClient("http://127.0.0.1:" + context.getBean(EmbeddedServer.class).getPort())
                                .withoutTenantCredential();
                        Map<String, String> key = Map.of("Authorization", "Bearer " + KEY);
                        Map<String, String> token = Map.of("Authorization", "Bearer " + jwt);
                        measure(results, "session create, auth " + mode + (mode.equals("on") ? " (API key)" : ""),
                                seconds, clients, i -> api.send("POST", "/v1/sessions", CREATE, key));
                        if (mode.equals("on")) {
                            measure(results, "session create, auth on (JWT, RS256)", seconds, clients,
                                    i -> api.send("POST", "/v1/sessions", CREATE, token));
                        }
                        List<Map<String, String>> sessions = new ArrayList<>();
                        for (int i = 0; i < clients; i++) {
                            Map<String, Object> created = ApiClient.map(api.send("POST", "/v1/sessions", CREATE, key).body());
                            sessions.add(Map.of("Authorization", "Bearer " + created.get("token"),
                                    "path", "/v1/sessions/" + created.get("sessionId") + "/intents"));
                        }
                        measure(results, "intent submit, auth " + mode + " (session token)", seconds, clients, i -> {
                            Map<String, String> session = sessions.get(i);
                            return api.send("POST", session.get("path"), INTENT,
                                    Map.of("Authorization", session.get("Authorization")));
                        });
                    }
                }
            }
            System.out.println("== summary (req/s per round)");
            results.forEach((what, rates) -> System.out.printf("%-48s %s%n", what,
                    rates.stream().map(rate -> String.format("%,.0f", rate)).toList()));
        }
        System.exit(0);
    }

    private static ApplicationContext start(String mode, JwksServer idp) throws Exception {
        int managementPort = FreePorts.any();
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", FreePorts.any());
        properties.put("endpoints.all.port", managementPort);
        properties.put("runtime.admin.port", FreePorts.any());
        properties.put("runtime.redis.uri", RedisTestKit.shared().uri());
        properties.put("runtime.redis.key-prefix", "bench" + Long.toString(System.nanoTime(), 36));
        properties.put("runtime.wal.dir", Files.createTempDirectory("auth-bench-wal").toString());
        properties.put("micronaut.server.netty.access-logger.enabled", false);
        properties.put("runtime.auth.api-keys", "bench:" + Definitions.sha256(KEY));
        properties.put("runtime.auth.jwt.jwks-url", idp.url());
        properties.put("runtime.auth.jwt.issuer", JwksServer.ISSUER);
        properties.put("runtime.auth.jwt.audience", JwksServer.AUDIENCE);
        properties.put("bench.auth", mode);
        ApplicationContext context = ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext();
        ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (management.get("/health/ready", Map.of()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready: " + management.get("/health", Map.of()).body());
            }
            Thread.sleep(50);
        }
        return context;
    }

    private static void measure(Map<String, List<Double>> results, String what, int seconds, int clients,
                                IntFunction<HttpResponse<String>> call) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long[][] latencies = new long[clients][];
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofVirtual().start(() -> {
                long[] mine = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    HttpResponse<String> answer;
                    try {
                        answer = call.apply(client);
                    } catch (RuntimeException e) {
                        if (failures.size() < 5) {
                            failures.add(e.toString());
                        }
                        continue;
                    }
                    if (answer.statusCode() / 100 == 2) {
                        ok.incrementAndGet();
                        if (n < mine.length) {
                            mine[n++] = System.nanoTime() - start;
                        }
                    } else if (failures.size() < 5) {
                        failures.add(answer.statusCode() + " " + answer.body());
                    }
                }
                latencies[client] = Arrays.copyOf(mine, n);
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        double rate = ok.get() / (double) seconds;
        results.computeIfAbsent(what, k -> new ArrayList<>()).add(rate);
        System.out.printf("%-48s %,8.0f req/s   p50 %5.1f ms   p99 %5.1f ms%s%n", what, rate,
                percentile(all, 0.50), percentile(all, 0.99), failures.isEmpty() ? "" : "   failures: " + failures);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }
}
