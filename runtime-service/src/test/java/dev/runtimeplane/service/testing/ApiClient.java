package dev.runtimeplane.service.testing;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain JDK HTTP client for tests: every status comes back as a value, never as an exception, and
 * a failed connection as status -1 (see {@link #sendOrFail}). A {@code POST /v1/sessions} without an
 * Authorization header carries the test key ({@link TestCredentials}) of the tenant its body names (or
 * {@code acme}'s), unless the client is {@link #withoutTenantCredential()}.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = ObjectMapper.getDefault();

    private static final Pattern BODY_TENANT = Pattern.compile("\"tenant\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final boolean sendsTenantCredential;

    public ApiClient(String base) {
        this(base, true);
    }

    private ApiClient(String base, boolean sendsTenantCredential) {
        this.base = base;
        this.sendsTenantCredential = sendsTenantCredential;
    }

    /** The same server, but session creation carries no credential unless the caller sends one. */
    public ApiClient withoutTenantCredential() {
        return new ApiClient(base, false);
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) {
        return send("GET", path, null, headers);
    }

    public HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        try {
            return sendOrFail(method, path, body, headers, Duration.ofSeconds(15));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }

    /** Like {@link #send} but lets a connection failure through as an IOException. */
    public HttpResponse<String> sendOrFail(String method, String path, String body, Map<String, String> headers,
                                           Duration timeout) throws IOException {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .method(method, publisher);
        headers.forEach(builder::header);
        if (sendsTenantCredential && "POST".equals(method) && "/v1/sessions".equals(path)
                && headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            builder.header("Authorization", TestCredentials.auth(bodyTenant(body)).get("Authorization"));
        }
        if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            builder.header("Content-Type", "application/json");
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Opens a session in {@code tenant} and returns it with its token. */
    public TestSession openSession(String tenant) {
        HttpResponse<String> created = send("POST", "/v1/sessions",
                "{\"tenant\":\"" + tenant + "\",\"user\":\"ada\",\"metadata\":{\"app\":\"test\"}}", Map.of());
        if (created.statusCode() != 201) {
            throw new AssertionError("session create answered " + created.statusCode() + ": " + created.body());
        }
        Map<String, Object> body = map(created.body());
        return new TestSession((String) body.get("sessionId"), (String) body.get("token"));
    }

    private static String bodyTenant(String body) {
        Matcher tenant = BODY_TENANT.matcher(body == null ? "" : body);
        return tenant.find() && TestCredentials.TENANTS.contains(tenant.group(1)) ? tenant.group(1)
                : TestCredentials.DEFAULT_TENANT;
    }

    public static Map<String, Object> map(String json) {
        try {
            return JSON.readValue(json, Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }

    public static List<Map<String, Object>> list(String json) {
        try {
            return JSON.readValue(json, Argument.listOf(Argument.mapOf(String.class, Object.class)));
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }

    public static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new HashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    /** A session id and its bearer token. */
    public record TestSession(String id, String token) {
        public Map<String, String> auth() {
            return Map.of("Authorization", "Bearer " + token);
        }
    }
}
