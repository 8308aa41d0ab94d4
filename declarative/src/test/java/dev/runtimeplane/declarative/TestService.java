package dev.runtimeplane.declarative;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A downstream service played by a JDK HTTP server on 127.0.0.1 (an ephemeral port). It records every
 * request and answers from scripted replies: queued one-off replies first, else the default.
 */
final class TestService implements AutoCloseable {

    /** Arrival order across every test service of the JVM. */
    private static final AtomicLong ARRIVALS = new AtomicLong();

    record Request(long arrival, String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    /** A reply: status, headers, body; status 0 drops the connection without answering. */
    record Reply(int status, Map<String, String> headers, String body) {
        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body);
        }

        static Reply drop() {
            return new Reply(0, Map.of(), "");
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Function<Request, Reply>> once = new ConcurrentLinkedQueue<>();
    private volatile Function<Request, Reply> otherwise;

    TestService(Function<Request, Reply> otherwise) throws IOException {
        this.otherwise = otherwise;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + port();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void thenOnce(Function<Request, Reply> reply) {
        once.add(reply);
    }

    void otherwise(Function<Request, Reply> reply) {
        this.otherwise = reply;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(ARRIVALS.incrementAndGet(), exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                Map.copyOf(exchange.getRequestHeaders()), body);
        requests.add(request);
        Function<Request, Reply> script = once.poll();
        Reply reply = (script != null ? script : otherwise).apply(request);
        if (reply.status() == 0) {
            throw new IOException("scripted: the connection is dropped without an answer");
        }
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
