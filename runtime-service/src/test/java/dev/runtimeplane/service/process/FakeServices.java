package dev.runtimeplane.service.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Three downstream services on 127.0.0.1 (JDK HTTP servers) for the order flow: stock (reservations),
 * payments (charges, refunds) and shipping (shipments). Each deduplicates on {@code Idempotency-Key} the way a
 * well-behaved service does: the first request with a key applies its effect, a repeat gets the first answer.
 * Every request is recorded. Shipping can be told to refuse (400), refunds to fail (503) until told otherwise,
 * and a service can be held (its requests wait until {@link #release()}).
 */
final class FakeServices implements AutoCloseable {

    /** One request as a service saw it. */
    record Call(String service, String method, String path, String idempotencyKey, String attempt,
                boolean compensation, String authorization, String body) {
    }

    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    /** How many times each key's effect was applied (never more than once by design; the test checks it). */
    private final Map<String, Integer> applied = new ConcurrentHashMap<>();
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private volatile boolean shippingRefuses;
    private volatile boolean refundsFail;
    private volatile String held = "";
    private final CountDownLatch release = new CountDownLatch(1);

    FakeServices() throws IOException {
        for (String service : List.of("stock", "payments", "shipping")) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> handle(service, exchange));
            server.start();
            servers.put(service, server);
        }
    }

    String url(String service) {
        return "http://127.0.0.1:" + servers.get(service).getAddress().getPort();
    }

    /** The allow-list entries for the three services, comma-separated (RUNTIME_OUTBOUND_ALLOW). */
    String allowList() {
        return String.join(",", url("stock"), url("payments"), url("shipping"));
    }

    void shippingRefuses() {
        shippingRefuses = true;
    }

    /** Payments answers refunds with 503 (applying nothing) while {@code failing}. */
    void refundsFail(boolean failing) {
        refundsFail = failing;
    }

    /** Requests to {@code service} wait until {@link #release()}. */
    void hold(String service) {
        held = service;
    }

    void release() {
        release.countDown();
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    Map<String, Integer> applied() {
        return Map.copyOf(applied);
    }

    private void handle(String service, HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            calls.add(new Call(service, exchange.getRequestMethod(), exchange.getRequestURI().getPath(), key,
                    exchange.getRequestHeaders().getFirst("X-Runtime-Attempt"),
                    "true".equals(exchange.getRequestHeaders().getFirst("X-Runtime-Compensation")), authorization, body));
            if (service.equals(held) && !release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            if (service.equals("shipping") && shippingRefuses && exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 400, "{\"error\":\"no carrier for this address\"}");
                return;
            }
            if (service.equals("payments") && refundsFail && exchange.getRequestURI().getPath().endsWith("/refund")) {
                respond(exchange, 503, "{\"error\":\"refunds are down\"}");
                return;
            }
            String answer;
            synchronized (this) {
                answer = answers.get(key);
                if (answer == null) {
                    answer = effect(service, exchange.getRequestMethod(), key, authorization);
                    answers.put(key, answer);
                    applied.merge(key, 1, Integer::sum);
                }
            }
            respond(exchange, 200, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The answer to a first request; payments echoes the Authorization it got (the runtime must mask it). */
    private static String effect(String service, String method, String key, String authorization) {
        String id = Integer.toHexString(key.hashCode());
        return switch (service) {
            case "stock" -> method.equals("POST") ? "{\"reservationId\":\"r-" + id + "\"}" : "{}";
            case "payments" -> "{\"chargeId\":\"c-" + id + "\",\"seenAuthorization\":\"" + authorization + "\"}";
            default -> "{\"shipmentId\":\"s-" + id + "\"}";
        };
    }

    private static void respond(HttpExchange exchange, int status, String body) {
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the caller is gone (a killed service): nothing to answer
        }
    }

    @Override
    public void close() {
        release.countDown();
        servers.values().forEach(server -> server.stop(0));
    }
}
