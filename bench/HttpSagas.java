import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Durable 3-step no-op sagas (the {@code noop-3} example) through the service's HTTP API, closed loop:
 * each of {@code concurrency} clients opens a session with the API key, then submits a saga, waits until
 * it is terminal, and submits the next. Latency is from sending the submit to seeing the terminal state.
 * Two ways to wait: {@code sse} follows the execution's event stream until its FINISHED event (the
 * stream ends there); {@code poll} asks the execution's status every {@code poll-ms} until it is terminal.
 * With {@code REDIS_URI} set, also prints the Redis commands per saga (read with redis-cli), and in poll
 * mode the status requests per saga. JDK classes only:
 * {@code java bench/HttpSagas.java <api-url> <api-key> <total> <concurrency> <warm-up> <sse|poll> [poll-ms]}.
 */
public final class HttpSagas {

    private static final Pattern STREAM_URL = Pattern.compile("\"stream\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS_URL = Pattern.compile("\"status\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern SESSION_ID = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final String SUBMIT_BODY = "{\"type\":\"noop-3\",\"payload\":{}}";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final String api;
    private final boolean followStream;
    private final long pollMillis;
    private final AtomicLong statusRequests = new AtomicLong();

    private HttpSagas(String api, boolean followStream, long pollMillis) {
        this.api = api;
        this.followStream = followStream;
        this.pollMillis = pollMillis;
    }

    private record Session(String id, String token) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: java HttpSagas.java <api-url> <api-key> <total> <concurrency> <warm-up> <sse|poll> [poll-ms]");
            System.exit(2);
        }
        String mode = args[5];
        if (!mode.equals("sse") && !mode.equals("poll")) {
            throw new IllegalArgumentException("wait mode must be sse or poll, was " + mode);
        }
        int total = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        long pollMillis = args.length > 6 ? Long.parseLong(args[6]) : 2;
        HttpSagas bench = new HttpSagas(args[0], mode.equals("sse"), pollMillis);
        Session[] sessions = new Session[concurrency];
        for (int c = 0; c < concurrency; c++) {
            sessions[c] = bench.openSession(args[1]);
        }
        bench.run(sessions, warmup);
        String redisUri = System.getenv("REDIS_URI");
        long commandsBefore = redisUri == null ? 0 : redisCommands(redisUri);
        bench.statusRequests.set(0);
        long begin = System.nanoTime();
        long[] latencies = bench.run(sessions, total);
        double seconds = (System.nanoTime() - begin) / 1e9;
        long commands = redisUri == null ? 0 : redisCommands(redisUri) - commandsBefore;
        String waitedBy = mode.equals("sse") ? "following the SSE stream" : "polling the status every " + pollMillis + " ms";
        System.out.printf("HTTP sagas: %d noop-3 sagas, %d in flight, submit to terminal %s%n", total, concurrency, waitedBy);
        System.out.printf("  sagas/s   %,.0f%n", total / seconds);
        System.out.printf("  latency   p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms%n", pct(latencies, 0.50),
                pct(latencies, 0.90), pct(latencies, 0.99), latencies[latencies.length - 1] / 1e6);
        if (redisUri != null) {
            System.out.printf("  per saga  %.1f Redis commands (all clients of this Redis)%s%n", commands / (double) total,
                    mode.equals("poll") ? String.format(", %.1f status requests", bench.statusRequests.get() / (double) total) : "");
        }
        System.out.printf("RESULT http mode=%s total=%d conc=%d sagas_per_s=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
                mode, total, concurrency, total / seconds, pct(latencies, 0.50), pct(latencies, 0.90),
                pct(latencies, 0.99), latencies[latencies.length - 1] / 1e6);
    }

    /** Runs {@code count} sagas, one client per session; returns their latencies sorted, in nanoseconds. */
    private long[] run(Session[] sessions, int count) throws InterruptedException {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Session session : sessions) {
                clients.execute(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        long begin = System.nanoTime();
                        try {
                            String state = submitAndAwait(session);
                            if (!state.equals("COMPLETED")) {
                                throw new IllegalStateException("a saga ended " + state);
                            }
                        } catch (Exception e) {
                            if (failures.getAndIncrement() == 0) {
                                System.err.println("first failure: " + e);
                            }
                        }
                        latencies[i] = System.nanoTime() - begin;
                    }
                });
            }
            clients.shutdown();
            if (!clients.awaitTermination(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the benchmark did not finish");
            }
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + count + " sagas failed");
        }
        Arrays.sort(latencies);
        return latencies;
    }

    /** Submits one saga and waits until it is terminal; returns its terminal state. */
    private String submitAndAwait(Session session) throws IOException, InterruptedException {
        HttpResponse<String> accepted = send(authorized(session.token(), "/v1/sessions/" + session.id() + "/intents")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(SUBMIT_BODY)).build());
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + accepted.statusCode() + ": " + accepted.body());
        }
        return followStream ? awaitByStream(session, field(STREAM_URL, accepted.body()))
                : awaitByPolling(session, field(STATUS_URL, accepted.body()));
    }

    /** Reads the event stream to its end (the service ends it after FINISHED) and returns FINISHED's state. */
    private String awaitByStream(Session session, String streamPath) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = http.send(authorized(session.token(), streamPath)
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IllegalStateException("stream answered " + response.statusCode());
        }
        String terminal = null;
        boolean finishedEvent = false;
        try (Stream<String> lines = response.body()) {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    finishedEvent = line.substring("event:".length()).strip().equals("FINISHED");
                } else if (finishedEvent && line.startsWith("data:")) {
                    terminal = field(STATE, line);
                }
            }
        }
        if (terminal == null) {
            throw new IllegalStateException("the stream ended without a FINISHED event");
        }
        return terminal;
    }

    private String awaitByPolling(Session session, String statusPath) throws IOException, InterruptedException {
        while (true) {
            HttpResponse<String> status = send(authorized(session.token(), statusPath).GET().build());
            statusRequests.incrementAndGet();
            if (status.statusCode() != 200) {
                throw new IllegalStateException("status answered " + status.statusCode() + ": " + status.body());
            }
            String state = field(STATE, status.body());
            if (!state.equals("RUNNING") && !state.equals("COMPENSATING")) {
                return state;
            }
            Thread.sleep(pollMillis);
        }
    }

    private Session openSession(String apiKey) throws IOException, InterruptedException {
        HttpResponse<String> created = send(authorized(apiKey, "/v1/sessions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\":\"bench\",\"user\":\"http-sagas\"}")).build());
        if (created.statusCode() != 201 && created.statusCode() != 200) {
            throw new IllegalStateException("session create answered " + created.statusCode() + ": " + created.body());
        }
        return new Session(field(SESSION_ID, created.body()), field(TOKEN, created.body()));
    }

    private HttpRequest.Builder authorized(String bearer, String path) {
        return HttpRequest.newBuilder(URI.create(api + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + bearer);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String field(Pattern pattern, String json) {
        Matcher matcher = pattern.matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in " + json);
        }
        return matcher.group(1);
    }

    /** Redis's total_commands_processed (commands run inside scripts included). */
    private static long redisCommands(String uri) throws IOException, InterruptedException {
        Process cli = new ProcessBuilder("redis-cli", "-u", uri, "INFO", "stats").redirectErrorStream(true).start();
        String info = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        cli.waitFor();
        return info.lines().filter(l -> l.startsWith("total_commands_processed:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElse(0);
    }

    private static double pct(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
