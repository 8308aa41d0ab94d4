package dev.runtimeplane.service.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.RawHttp;
import dev.runtimeplane.service.testing.RunningService;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzz of the API over raw sockets: odd paths and percent-encodings, methods, headers,
 * bodies (malformed, deeply nested, huge numbers, duplicate members, invalid UTF-8). Every answer is a
 * problem (4xx) or a correct 2xx/3xx, never a 5xx and never a hang, and the service stays live. The seed
 * is printed; rerun one with {@code -Dfuzz.seed=<seed>}.
 */
@MicronautTest
class ApiFuzzTest extends RunningService {

    private static final int REQUESTS = 400;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
            "TRACE", "CONNECT", "FOO", "get");
    private static final List<String> SEGMENTS = List.of("v1", "sessions", "intents", "executions", "events", "stream",
            "cancel", "state", "touch", "intent-types", "openapi", "..", ".", "", "%2e%2e", "%2F", "%00", "%FF", "%C0%AF",
            "%", "%zz", "%E2%82%AC", "ü", "a;b", "~", "*", "0".repeat(32), "x".repeat(300), "{sessionId}");
    private static final List<String> INTENT_TYPES = List.of("trip-booking", "teleport", "", "TRIP-BOOKING");

    private final RawHttp raw = new RawHttp(apiPort);

    @Test
    void everyAnswerIsAProblemOrASuccessAndTheServiceStaysLive() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("ApiFuzzTest seed: " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        TestSession session = api.openSession("fuzz");
        String execution = submit(session, "{\"type\":\"trip-booking\"}");
        awaitTerminal(session, execution);

        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            String target = target(random, session, execution);
            // Half the requests use a method the path serves, so bodies and headers reach the handlers.
            String method = random.nextBoolean() ? pick(random, METHODS) : methodFor(random, target);
            byte[] body = body(random);
            byte[] head = head(random, method, target, session, body);
            String request = new String(head, StandardCharsets.ISO_8859_1);
            RawHttp.Response response;
            try {
                response = raw.send(head, body, READ_TIMEOUT_MILLIS);
            } catch (IOException e) {
                failures.add("#" + i + " no answer (" + e.getMessage() + "): " + abbreviate(request));
                continue;
            }
            statuses.merge(response.status(), 1, Integer::sum);
            String problem = check(method, response);
            if (problem != null) {
                failures.add("#" + i + " " + problem + ": " + abbreviate(request) + " -> " + abbreviate(response.body()));
            }
        }
        System.out.println("ApiFuzzTest statuses: " + statuses);
        assertTrue(failures.isEmpty(), "seed " + seed + ":\n" + String.join("\n", failures));
        assertEquals(200, management.get("/health/live", Map.of()).statusCode(), "seed " + seed);
        assertEquals(200, api.get("/v1/intent-types", Map.of()).statusCode(), "seed " + seed);
    }

    /** Null when the response is acceptable, else what is wrong with it. */
    private static String check(String method, RawHttp.Response response) {
        int status = response.status();
        if (status >= 500) {
            return "answered " + status;
        }
        if (status < 400 || method.equals("HEAD")) {
            return null;
        }
        if (!response.contentType().startsWith("application/problem+json")) {
            return status + " is not a problem (" + response.contentType() + ")";
        }
        if (!response.body().contains("\"type\":\"https://runtimeplane.dev/problems/")) {
            return status + " has no problem type";
        }
        try {
            assertNoInternals(response.body());
        } catch (AssertionError e) {
            return e.getMessage();
        }
        return null;
    }

    private static String methodFor(Random random, String target) {
        if (target.endsWith("/state")) {
            return pick(random, List.of("GET", "PUT", "PATCH"));
        }
        if (target.endsWith("/sessions") || target.endsWith("/intents") || target.endsWith("/cancel")
                || target.endsWith("/touch")) {
            return "POST";
        }
        return "GET";
    }

    private static String target(Random random, TestSession session, String execution) {
        String base = switch (random.nextInt(6)) {
            case 0 -> "/v1/sessions";
            case 1 -> "/v1/sessions/" + session.id() + "/intents";
            case 2 -> "/v1/sessions/" + session.id() + "/state";
            case 3 -> execution + pick(random, List.of("", "/events", "/stream", "/cancel"));
            case 4 -> "/v1/intent-types";
            default -> "";
        };
        StringBuilder path = new StringBuilder(base);
        int extra = base.isEmpty() ? 1 + random.nextInt(5) : random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
        for (int i = 0; i < extra; i++) {
            path.append('/').append(pick(random, SEGMENTS));
        }
        if (random.nextInt(5) == 0) {
            path.append('?').append(pick(random, List.of("a=1", "a=%", "a=%FF", "&&", "x=" + "y".repeat(100), "=")));
        }
        if (random.nextInt(8) == 0) {
            path.append('#').append("frag");
        }
        return path.isEmpty() || path.charAt(0) != '/' ? "/" + path : path.toString();
    }

    private static byte[] head(Random random, String method, String target, TestSession session, byte[] body) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1").getBytes(StandardCharsets.UTF_8));
        List<String> headers = new ArrayList<>();
        if (random.nextInt(4) != 0) {
            headers.add("Authorization: " + pick(random, List.of("Bearer ", "bearer ", "Basic ", "Bearer", "")) + session.token());
        }
        if (body.length > 0 || random.nextBoolean()) {
            headers.add("Content-Type: " + pick(random, List.of("application/json", "application/json", "application/json",
                    "application/json", "text/plain",
                    "application/merge-patch+json", "application/json; charset=latin1", "*/*", "", ";;")));
        }
        if (random.nextInt(3) == 0) {
            headers.add("Idempotency-Key: " + pick(random, List.of("k-" + random.nextInt(5), "", " ", "a b",
                    "x".repeat(300), "ü", "\"quoted\"", "k\u00ff")));
        }
        if (random.nextInt(3) == 0) {
            headers.add(pick(random, List.of("If-Match", "If-None-Match")) + ": " + pick(random, List.of("\"0\"",
                    "W/\"0\"", "*", "\"1\", \"2\"", "\"", "W/", "\"-1\"", "\"99999999999999999999\"", ",", "0")));
        }
        if (random.nextInt(4) == 0) {
            headers.add("Last-Event-ID: " + pick(random, List.of("0", "-1", "1e3", "99999999999999999999", " 2 ",
                    "abc", "", "3")));
        }
        if (random.nextInt(6) == 0) {
            headers.add("Accept: " + pick(random, List.of("text/event-stream", "application/xml", "*/*", "a/b;q=x")));
        }
        for (String header : headers) {
            head.writeBytes(("\r\n" + header).getBytes(StandardCharsets.UTF_8));
        }
        return head.toByteArray();
    }

    private static byte[] body(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> new byte[0];
            case 1 -> randomBytes(random);
            case 2 -> ("{\"tenant\":\"acme\",\"user\":\"ada\",\"ttlSeconds\":" + number(random) + "}").getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"type\":\"" + pick(random, INTENT_TYPES) + "\",\"payload\":" + json(random, 0) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> ("[".repeat(1 + random.nextInt(3000)) + "]".repeat(random.nextInt(3000))).getBytes(StandardCharsets.UTF_8);
            case 5 -> ("{\"a\":1,\"a\":" + json(random, 0) + "}").getBytes(StandardCharsets.UTF_8);
            case 6 -> invalidUtf8(random);
            case 7 -> json(random, 0).getBytes(StandardCharsets.UTF_8);
            default -> ("{\"tenant\":" + json(random, 2) + ",\"user\":" + json(random, 2) + ",\"metadata\":"
                    + json(random, 1) + "}").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String json(Random random, int depth) {
        return switch (depth > 4 ? random.nextInt(4) : random.nextInt(7)) {
            case 0 -> number(random);
            case 1 -> pick(random, List.of("true", "false", "null"));
            case 2 -> "\"" + pick(random, List.of("", "x", "\\u0000", "\\ud800", "ü", "\\\"", "a".repeat(1000))) + "\"";
            case 3 -> pick(random, List.of("NaN", "Infinity", "01", "-", "1.", ".5", "+1", "'x'", "tru"));
            case 4 -> "[" + json(random, depth + 1) + "," + json(random, depth + 1) + "]";
            default -> "{\"" + pick(random, List.of("k", "type", "payload", "", "millis")) + "\":" + json(random, depth + 1) + "}";
        };
    }

    private static String number(Random random) {
        return pick(random, List.of("0", "-1", "1", "1.5", "1e400", "-1e-400", "9223372036854775807",
                "9223372036854775808", "1" + "0".repeat(2000), "3600", "\"3600\"", "true", "1E2", "-0", "0.0"));
    }

    private static byte[] invalidUtf8(Random random) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"tenant\":\"".getBytes(StandardCharsets.US_ASCII));
        byte[][] bad = {{(byte) 0xC3}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        bytes.writeBytes(bad[random.nextInt(bad.length)]);
        bytes.writeBytes("\",\"user\":\"ada\"}".getBytes(StandardCharsets.US_ASCII));
        return bytes.toByteArray();
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\r\n", " | ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
