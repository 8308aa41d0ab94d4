import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * The three downstream services of the order-flow example, on 127.0.0.1, with the JDK only:
 *
 * <pre>
 * java examples/order-flow/FakeServices.java [stockPort paymentsPort shippingPort]   (default 9101 9102 9103; 0 = any free port)
 * </pre>
 *
 * <ul>
 *   <li>stock: {@code POST /reservations}, {@code DELETE /reservations/{id}}, {@code GET /reservations}</li>
 *   <li>payments: {@code POST /charges}, {@code POST /charges/{id}/refund}, {@code GET /charges}; requires
 *       {@code Authorization: Bearer <PAYMENTS_TOKEN>} (environment variable, default {@code demo-payments-token})</li>
 *   <li>shipping: {@code POST /shipments} (keeps a {@code giftMessage} when there is one), {@code DELETE /shipments/{id}},
 *       {@code GET /shipments}</li>
 * </ul>
 *
 * Like a careful real service, each applies a change once per {@code Idempotency-Key}: a repeat gets the
 * first answer back and changes nothing. A call carrying a fencing token lower than one already seen for
 * the same execution (a stale coordinator) is refused with 409. Failures on demand: shipping answers 422
 * to an order whose {@code address} is {@code "nowhere"}; payments answers 503 with {@code Retry-After: 1}
 * to the first charge of an order whose {@code flaky} is {@code true}. One line per request on stdout.
 */
public final class FakeServices {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    public static void main(String[] args) throws IOException {
        int[] ports = {9101, 9102, 9103};
        for (int i = 0; i < Math.min(args.length, 3); i++) {
            ports[i] = Integer.parseInt(args[i]);
        }
        String paymentsToken = System.getenv().getOrDefault("PAYMENTS_TOKEN", "demo-payments-token");
        start(new Stock(), ports[0]);
        start(new Payments(paymentsToken), ports[1]);
        start(new Shipping(), ports[2]);
        log("ready (Ctrl-C stops)");
    }

    private static void start(Service service, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", service::handle);
        server.start();
        log(String.format("%-8s listening on http://127.0.0.1:%d", service.name, server.getAddress().getPort()));
    }

    private static void log(String line) {
        synchronized (System.out) {
            System.out.println(LocalTime.now().format(TIME) + " " + line);
            System.out.flush();
        }
    }

    /** What a service answers. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer json(int status, String body) {
            return new Answer(status, Map.of(), body);
        }

        /** Whether a repeat of the key gets this answer back: a 5xx changed nothing, so a retry runs again. */
        boolean remembered() {
            return status < 500;
        }
    }

    record Request(String method, String path, Map<String, Object> body, String authorization) {
    }

    /**
     * Idempotency and fencing shared by the three services. One lock per service: a fake needs no
     * concurrency, and it makes "once per key" trivially true.
     */
    abstract static class Service {
        final String name;
        private final Map<String, Answer> answersByKey = new HashMap<>();
        private final Map<String, Long> highestTokenByExecution = new HashMap<>();
        private int nextId = 1;

        Service(String name) {
            this.name = name;
        }

        String newId(String prefix) {
            return prefix + "-" + nextId++;
        }

        abstract Answer apply(Request request);

        abstract String list();

        void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String method = exchange.getRequestMethod();
                String path = exchange.getRequestURI().getRawPath();
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                String execution = exchange.getRequestHeaders().getFirst("X-Runtime-Execution");
                String token = exchange.getRequestHeaders().getFirst("X-Runtime-Fencing-Token");
                Map<String, Object> body = parseBody(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                Answer answer;
                String note = "";
                synchronized (this) {
                    Answer first = key == null ? null : answersByKey.get(key);
                    if (method.equals("GET")) {
                        answer = Answer.json(200, list());
                    } else if (body == null) {
                        answer = Answer.json(400, "{\"error\":\"the body is not a JSON object\"}");
                    } else if (key == null) {
                        answer = Answer.json(400, "{\"error\":\"an Idempotency-Key header is required\"}");
                    } else if (isStale(execution, token)) {
                        answer = Answer.json(409, "{\"error\":\"stale fencing token " + token + "\"}");
                    } else if (first != null) {
                        answer = first;
                        note = "  (repeat of this key: the first answer, nothing applied again)";
                    } else {
                        answer = apply(new Request(method, path, body, exchange.getRequestHeaders().getFirst("Authorization")));
                        if (answer.remembered()) {
                            answersByKey.put(key, answer);
                        }
                    }
                }
                boolean compensation = "true".equals(exchange.getRequestHeaders().getFirst("X-Runtime-Compensation"));
                String call = key == null ? "" : String.format(" key=%s attempt=%s fencing=%s%s", key,
                        exchange.getRequestHeaders().getFirst("X-Runtime-Attempt"), token, compensation ? " compensation" : "");
                log(String.format("%-8s %s %s%s -> %d %s%s", name, method, path, call, answer.status(), answer.body(), note));
                answer.headers().forEach((header, value) -> exchange.getResponseHeaders().add(header, value));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }

        /** Remembers the highest token per execution; a lower one comes from a coordinator that lost the lease. */
        private boolean isStale(String execution, String token) {
            if (execution == null || token == null) {
                return false;
            }
            long value = Long.parseLong(token);
            long highest = highestTokenByExecution.merge(execution, value, Math::max);
            return value < highest;
        }

        /** The body as a JSON object (empty when there is none), or null when it is not one. */
        private static Map<String, Object> parseBody(String text) {
            if (text.isBlank()) {
                return Map.of();
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = new JsonReader(text).read() instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
                return body;
            } catch (RuntimeException malformed) {
                return null;
            }
        }
    }

    static final class Stock extends Service {
        private final Map<String, String> reservations = new LinkedHashMap<>();   // id -> order and status

        Stock() {
            super("stock");
        }

        @Override
        Answer apply(Request request) {
            if (request.method().equals("POST") && request.path().equals("/reservations")) {
                String id = newId("r");
                reservations.put(id, "{\"reservationId\":" + quote(id) + ",\"orderId\":" + quote(request.body().get("orderId"))
                        + ",\"status\":\"reserved\"}");
                return Answer.json(201, reservations.get(id));
            }
            if (request.method().equals("DELETE") && request.path().startsWith("/reservations/")) {
                String id = request.path().substring("/reservations/".length());
                if (!reservations.containsKey(id)) {
                    return Answer.json(404, "{\"error\":\"no reservation " + id + "\"}");
                }
                reservations.put(id, reservations.get(id).replace("\"reserved\"", "\"released\""));
                return Answer.json(200, reservations.get(id));
            }
            return Answer.json(404, "{\"error\":\"no such resource\"}");
        }

        @Override
        String list() {
            return "[" + String.join(",", reservations.values()) + "]";
        }
    }

    static final class Payments extends Service {
        private final String token;
        private final Map<String, String> charges = new LinkedHashMap<>();
        private final Set<String> flakedOrders = new HashSet<>();

        Payments(String token) {
            super("payments");
            this.token = token;
        }

        @Override
        Answer apply(Request request) {
            if (!("Bearer " + token).equals(request.authorization())) {
                return Answer.json(401, "{\"error\":\"missing or wrong bearer token\"}");
            }
            if (request.method().equals("POST") && request.path().equals("/charges")) {
                String order = String.valueOf(request.body().get("orderId"));
                if (Boolean.TRUE.equals(request.body().get("flaky")) && flakedOrders.add(order)) {
                    return new Answer(503, Map.of("Retry-After", "1"), "{\"error\":\"ledger busy, try again in 1 s\"}");
                }
                String id = newId("ch");
                charges.put(id, "{\"chargeId\":" + quote(id) + ",\"orderId\":" + quote(order) + ",\"amount\":"
                        + JsonReader.write(request.body().get("amount")) + ",\"status\":\"charged\"}");
                return Answer.json(201, charges.get(id));
            }
            if (request.method().equals("POST") && request.path().matches("/charges/[^/]+/refund")) {
                String id = request.path().split("/")[2];
                if (!charges.containsKey(id)) {
                    return Answer.json(404, "{\"error\":\"no charge " + id + "\"}");
                }
                charges.put(id, charges.get(id).replace("\"charged\"", "\"refunded\""));
                return Answer.json(200, charges.get(id));
            }
            return Answer.json(404, "{\"error\":\"no such resource\"}");
        }

        @Override
        String list() {
            return "[" + String.join(",", charges.values()) + "]";
        }
    }

    static final class Shipping extends Service {
        private final Map<String, String> shipments = new LinkedHashMap<>();

        Shipping() {
            super("shipping");
        }

        @Override
        Answer apply(Request request) {
            if (request.method().equals("POST") && request.path().equals("/shipments")) {
                if ("nowhere".equals(request.body().get("address"))) {
                    return Answer.json(422, "{\"error\":\"cannot deliver to nowhere\"}");
                }
                String id = newId("s");
                Object gift = request.body().get("giftMessage");
                shipments.put(id, "{\"shipmentId\":" + quote(id) + ",\"orderId\":" + quote(request.body().get("orderId"))
                        + (gift == null ? "" : ",\"giftMessage\":" + quote(gift)) + ",\"status\":\"shipped\"}");
                return Answer.json(201, shipments.get(id));
            }
            if (request.method().equals("DELETE") && request.path().startsWith("/shipments/")) {
                String id = request.path().substring("/shipments/".length());
                if (!shipments.containsKey(id)) {
                    return Answer.json(404, "{\"error\":\"no shipment " + id + "\"}");
                }
                shipments.put(id, shipments.get(id).replace("\"shipped\"", "\"cancelled\""));
                return Answer.json(200, shipments.get(id));
            }
            return Answer.json(404, "{\"error\":\"no such resource\"}");
        }

        @Override
        String list() {
            return "[" + String.join(",", shipments.values()) + "]";
        }
    }

    static String quote(Object value) {
        return JsonReader.write(value == null ? null : value.toString());
    }

    /** Just enough JSON for request bodies: objects, arrays, strings, numbers, true, false, null. */
    static final class JsonReader {
        private final String text;
        private int at;

        JsonReader(String text) {
            this.text = text;
        }

        Object read() {
            skipSpace();
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> object = new LinkedHashMap<>();
                at++;
                skipSpace();
                if (text.charAt(at) == '}') {
                    at++;
                    return object;
                }
                do {
                    skipSpace();
                    String name = (String) read();
                    skipSpace();
                    expect(':');
                    object.put(name, read());
                    skipSpace();
                } while (text.charAt(at++) == ',');
                return object;
            }
            if (c == '[') {
                List<Object> array = new ArrayList<>();
                at++;
                skipSpace();
                if (text.charAt(at) == ']') {
                    at++;
                    return array;
                }
                do {
                    array.add(read());
                    skipSpace();
                } while (text.charAt(at++) == ',');
                return array;
            }
            if (c == '"') {
                StringBuilder string = new StringBuilder();
                at++;
                while ((c = text.charAt(at++)) != '"') {
                    if (c == '\\') {
                        c = text.charAt(at++);
                        switch (c) {
                            case 'n' -> string.append('\n');
                            case 't' -> string.append('\t');
                            case 'r' -> string.append('\r');
                            case 'b' -> string.append('\b');
                            case 'f' -> string.append('\f');
                            case 'u' -> {
                                string.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                                at += 4;
                            }
                            default -> string.append(c);
                        }
                    } else {
                        string.append(c);
                    }
                }
                return string.toString();
            }
            for (String word : List.of("true", "false", "null")) {
                if (text.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String number = text.substring(start, at);
            return number.matches("-?\\d+") ? (Object) Long.valueOf(number) : (Object) Double.valueOf(number);
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private void expect(char c) {
            if (text.charAt(at++) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (at - 1));
            }
        }

        static String write(Object value) {
            if (value == null) {
                return "null";
            }
            if (value instanceof String s) {
                StringBuilder out = new StringBuilder("\"");
                for (char c : s.toCharArray()) {
                    if (c == '"' || c == '\\') {
                        out.append('\\').append(c);
                    } else if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
                return out.append('"').toString();
            }
            if (value instanceof Map<?, ?> map) {
                List<String> fields = new ArrayList<>();
                map.forEach((name, field) -> fields.add(write(name.toString()) + ":" + write(field)));
                return "{" + String.join(",", fields) + "}";
            }
            if (value instanceof List<?> list) {
                return "[" + String.join(",", list.stream().map(JsonReader::write).toList()) + "]";
            }
            return value.toString();
        }
    }
}
