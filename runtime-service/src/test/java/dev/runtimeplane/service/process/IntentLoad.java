package dev.runtimeplane.service.process;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady stream of intents from a few client threads into one session, recording every answer
 * with the time it was sent. Bounded: it stops when told to or after {@code maxDuration}.
 */
final class IntentLoad implements AutoCloseable {

    /** One submitted intent and what the service answered (status -1: no answer). */
    record Submission(long sentNanos, int status, String executionId, String retryAfter, String body) {
    }

    private final ApiClient api;
    private final TestSession session;
    private final Queue<Submission> submissions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger counter = new AtomicInteger();
    private final List<Thread> clients;

    IntentLoad(ApiClient api, TestSession session, int clients, Duration maxDuration) {
        this.api = api;
        this.session = session;
        long end = System.nanoTime() + maxDuration.toNanos();
        this.clients = java.util.stream.IntStream.range(0, clients)
                .mapToObj(i -> Thread.ofPlatform().name("load-" + i).start(() -> {
                    while (running.get() && System.nanoTime() < end) {
                        submitOne();
                    }
                }))
                .toList();
    }

    private void submitOne() {
        String key = "load-" + counter.incrementAndGet();
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = api.sendOrFail("POST", "/v1/sessions/" + session.id() + "/intents",
                    "{\"type\":\"trip-booking\",\"payload\":{\"traveller\":\"" + key + "\"}}",
                    ApiClient.with(session.auth(), "Idempotency-Key", key), Duration.ofSeconds(10));
            String execution = response.statusCode() == 202
                    ? (String) ApiClient.map(response.body()).get("executionId") : null;
            submissions.add(new Submission(sent, response.statusCode(), execution,
                    response.headers().firstValue("Retry-After").orElse(null), response.body()));
            if (response.statusCode() != 202) {
                Thread.sleep(50);
            }
        } catch (IOException e) {
            submissions.add(new Submission(sent, -1, null, null, e.toString()));
            sleepQuietly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    List<Submission> submissions() {
        return List.copyOf(submissions);
    }

    /** Waits until at least {@code count} intents were accepted, so the load is known to be flowing. */
    void awaitAccepted(int count, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (acceptedExecutions().size() < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError("only " + acceptedExecutions().size() + " of " + count
                        + " intents accepted: " + submissions());
            }
            Thread.sleep(10);
        }
    }

    List<String> acceptedExecutions() {
        return submissions.stream().filter(s -> s.status() == 202).map(Submission::executionId).toList();
    }

    Map<String, String> auth() {
        return session.auth();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(Duration.ofSeconds(15));
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
