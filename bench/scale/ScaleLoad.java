// Load generator for bench/scale.sh (JDK 25 source launcher, JDK classes only). Every request is real HTTP.
//   java ScaleLoad.java sessions   <api> <apiKey> <count> <concurrency> <stateBytes> <out: "id token etag" lines>
//   java ScaleLoad.java executions <api> <sessionsFile> <count> <concurrency> <intentType> <out: "sid token eid" lines>
//   java ScaleLoad.java writes     <api> <sessionsFile> <count> <concurrency> <stateBytes>
//   java ScaleLoad.java readback   <api> <sessionsFile> <executionsFile|-> <sample>
// Figures go to stdout; a request that fails stops the run (a fill with holes would measure nothing).
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

void main(String[] args) throws Exception {
    String api = args[1];
    switch (args[0]) {
        case "sessions" -> fillSessions(api, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]), Path.of(args[6]));
        case "executions" -> fillExecutions(api, lines(Path.of(args[2])), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), args[5], Path.of(args[6]));
        case "writes" -> measureWrites(api, lines(Path.of(args[2])), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        case "readback" -> readBack(api, lines(Path.of(args[2])), args[3].equals("-") ? List.of() : lines(Path.of(args[3])),
                Integer.parseInt(args[4]));
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
}

final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

/** Opens sessions (TTL 24 h so none expires during the run) and writes each one's state document once. */
void fillSessions(String api, String apiKey, int count, int concurrency, int stateBytes, Path out) throws Exception {
    try (BufferedWriter writer = Files.newBufferedWriter(out)) {
        long took = runConcurrently(count, concurrency, "sessions", i -> {
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(api + "/v1/sessions"))
                    .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"scale\",\"ttlSeconds\":86400}")), 201);
            String id = field(created.body(), "sessionId"), token = field(created.body(), "token");
            // a new session's state document is {} at version 0 (ETag "0")
            HttpResponse<String> written = send(put(api, id, token, "\"0\"", document(i, stateBytes)), 200);
            String line = id + " " + token + " " + etag(written) + "\n";
            synchronized (writer) {
                writer.write(line);
            }
        });
        System.out.printf("sessions filled: %,d in %.1f s = %,.0f sessions/s (create + state PUT each, %d in flight)%n",
                count, took / 1e9, count / (took / 1e9), concurrency);
    }
}

/** Submits intents round-robin over the sessions and follows each one's event stream until it ends (terminal). */
void fillExecutions(String api, List<String[]> sessions, int count, int concurrency, String type, Path out) throws Exception {
    try (BufferedWriter writer = Files.newBufferedWriter(out)) {
        long took = runConcurrently(count, concurrency, "executions", i -> {
            String[] session = sessions.get(i % sessions.size());
            HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(api + "/v1/sessions/" + session[0] + "/intents"))
                    .header("Authorization", "Bearer " + session[1]).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"" + type + "\",\"payload\":{\"traveller\":\"scale\",\"millis\":1}}")), 202);
            String executionId = field(accepted.body(), "executionId");
            HttpResponse<java.util.stream.Stream<String>> stream = http.send(get(api + "/v1/sessions/" + session[0]
                    + "/executions/" + executionId + "/stream", session[1]).build(), HttpResponse.BodyHandlers.ofLines());
            if (stream.statusCode() != 200) {
                throw new IllegalStateException("stream answered " + stream.statusCode());
            }
            try (var lines = stream.body()) {
                lines.forEach(line -> { }); // the server ends the stream after the FINISHED event
            }
            String line = session[0] + " " + session[1] + " " + executionId + "\n";
            synchronized (writer) {
                writer.write(line);
            }
        });
        System.out.printf("executions finished: %,d in %.1f s = %,.0f executions/s (%s, submit + SSE to the end, %d in flight)%n",
                count, took / 1e9, count / (took / 1e9), type, concurrency);
    }
}

/**
 * Timed state writes (PUT with If-Match), each to a random session of the file. Worker w writes only sessions
 * whose index is w modulo the concurrency, so no two writes race for one version; the ETag comes from the file
 * or the worker's previous write of that session (a GET, untimed, when neither knows it).
 */
void measureWrites(String api, List<String[]> sessions, int count, int concurrency, int stateBytes) throws Exception {
    long[] nanos = new long[count];
    String[] etags = new String[sessions.size()];
    for (int i = 0; i < etags.length; i++) {
        etags[i] = sessions.get(i).length > 2 ? sessions.get(i)[2] : null;
    }
    AtomicLong next = new AtomicLong();
    long took = runWorkers(concurrency, worker -> {
        int slots = (sessions.size() - worker + concurrency - 1) / concurrency;
        for (long n; (n = next.getAndIncrement()) < count; ) {
            int index = worker + concurrency * ThreadLocalRandom.current().nextInt(slots);
            String[] session = sessions.get(index);
            while (true) {
                if (etags[index] == null) {
                    etags[index] = etag(send(get(api + "/v1/sessions/" + session[0] + "/state", session[1]), 200));
                }
                HttpRequest request = put(api, session[0], session[1], etags[index], document((int) n, stateBytes))
                        .timeout(Duration.ofSeconds(30)).build();
                long start = System.nanoTime();
                HttpResponse<String> written = http.send(request, HttpResponse.BodyHandlers.ofString());
                long latency = System.nanoTime() - start;
                if (written.statusCode() == 412) { // an earlier run wrote it: read its version (untimed), write again
                    etags[index] = null;
                    continue;
                }
                if (written.statusCode() != 200) {
                    throw new IllegalStateException("PUT answered " + written.statusCode() + ": " + written.body());
                }
                nanos[(int) n] = latency;
                etags[index] = etag(written);
                break;
            }
        }
    });
    Arrays.sort(nanos);
    System.out.printf("state PUT (If-Match) x %,d over %,d sessions, %d in flight: %,.0f writes/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
            count, sessions.size(), concurrency, count / (took / 1e9), percentile(nanos, 50), percentile(nanos, 90),
            percentile(nanos, 99), nanos[count - 1] / 1e6);
}

/** Reads a random sample of sessions (state document as written) and executions (terminal); exit 1 on any miss. */
void readBack(String api, List<String[]> sessions, List<String[]> executions, int sample) throws Exception {
    int missing = 0;
    for (int i = 0; i < sample; i++) {
        int index = ThreadLocalRandom.current().nextInt(sessions.size());
        String[] session = sessions.get(index);
        HttpResponse<String> state = http.send(get(api + "/v1/sessions/" + session[0] + "/state", session[1]).build(),
                HttpResponse.BodyHandlers.ofString());
        if (state.statusCode() != 200 || !state.body().contains("\"owner\":") || etag(state) == null) {
            missing++;
        }
        if (!executions.isEmpty()) {
            String[] execution = executions.get(ThreadLocalRandom.current().nextInt(executions.size()));
            HttpResponse<String> status = http.send(get(api + "/v1/sessions/" + execution[0] + "/executions/" + execution[2],
                    execution[1]).build(), HttpResponse.BodyHandlers.ofString());
            if (status.statusCode() != 200 || !status.body().contains("\"state\":\"COMPLETED\"")) {
                missing++;
            }
        }
    }
    System.out.printf("read back: %d sessions%s sampled, %d missing%n", sample,
            executions.isEmpty() ? "" : " and " + sample + " executions", missing);
    if (missing > 0) {
        System.exit(1);
    }
}

interface Task {
    void run(int index) throws Exception;
}

interface Worker {
    void run(int worker) throws Exception;
}

/** Runs task(0..count-1) on `concurrency` virtual threads with a progress line every 10 s; returns the nanoseconds taken. */
long runConcurrently(int count, int concurrency, String what, Task task) throws Exception {
    AtomicLong next = new AtomicLong(), done = new AtomicLong();
    long start = System.nanoTime();
    var progress = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().unstarted(r));
    progress.scheduleAtFixedRate(() -> System.out.printf("  ... %,d %s after %.0f s%n", done.get(), what,
            (System.nanoTime() - start) / 1e9), 10, 10, java.util.concurrent.TimeUnit.SECONDS);
    try {
        return runWorkers(concurrency, worker -> {
            for (long i; (i = next.getAndIncrement()) < count; ) {
                task.run((int) i);
                done.incrementAndGet();
            }
        });
    } finally {
        progress.shutdownNow();
    }
}

long runWorkers(int concurrency, Worker body) throws Exception {
    long start = System.nanoTime();
    List<Throwable> failures = new ArrayList<>();
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            threads.submit(() -> {
                try {
                    body.run(worker);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
                return null;
            });
        }
    }
    if (!failures.isEmpty()) {
        throw new IllegalStateException(failures.size() + " workers failed; first: " + failures.getFirst(), failures.getFirst());
    }
    return System.nanoTime() - start;
}

HttpRequest.Builder get(String uri, String token) {
    return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token).GET();
}

HttpRequest.Builder put(String api, String id, String token, String etag, String document) {
    return HttpRequest.newBuilder(URI.create(api + "/v1/sessions/" + id + "/state"))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .header("If-Match", etag).PUT(HttpRequest.BodyPublishers.ofString(document));
}

/** Retries 503 (overload, replay) after a short pause; any other unexpected status is a failure. */
HttpResponse<String> send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
    HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
    for (int attempt = 1; ; attempt++) {
        HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == expected) {
            return response;
        }
        if (response.statusCode() != 503 || attempt == 50) {
            throw new IllegalStateException(built.method() + " " + built.uri().getPath() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        Thread.sleep(100);
    }
}

/** A JSON state document of about `bytes` bytes, different for each i. */
String document(int i, int bytes) {
    String head = "{\"owner\":\"scale\",\"step\":" + i + ",\"cart\":[\"book\",\"pen\"],\"note\":\"";
    return head + "x".repeat(Math.max(0, bytes - head.length() - 2)) + "\"}";
}

String etag(HttpResponse<?> response) {
    return response.headers().firstValue("ETag").orElse(null);
}

String field(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    if (!matcher.find()) {
        throw new IllegalStateException("no " + name + " in " + json);
    }
    return matcher.group(1);
}

List<String[]> lines(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(line -> line.split(" ")).toList();
}

double percentile(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
}
