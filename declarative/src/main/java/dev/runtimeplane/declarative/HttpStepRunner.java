package dev.runtimeplane.declarative;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.runtimeplane.saga.StepContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * Runs one {@link HttpCall} for a step attempt: builds the request from its templates, sends it with the
 * runtime's headers, and turns the outcome into a result or a {@link HttpStepException} (retryable or not,
 * by the call's {@link ResponseRules}).
 */
final class HttpStepRunner {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String EXECUTION = "X-Runtime-Execution";
    static final String STEP = "X-Runtime-Step";
    static final String ATTEMPT = "X-Runtime-Attempt";
    static final String FENCING_TOKEN = "X-Runtime-Fencing-Token";
    static final String COMPENSATION = "X-Runtime-Compensation";

    private static final int ERROR_BODY_CHARS = 300;

    private final OutboundHttpClient client;
    private final OutboundPolicy policy;
    private final SecretResolver secrets;
    private final SessionMetadataSource sessions;

    HttpStepRunner(OutboundHttpClient client, OutboundPolicy policy, SecretResolver secrets,
                   SessionMetadataSource sessions) {
        this.client = client;
        this.policy = policy;
        this.secrets = secrets;
        this.sessions = sessions;
    }

    /** Sends {@code call} for {@code context}; the result (JSON text, or null) of a successful call. */
    String run(HttpCall call, Duration timeout, StepContext context) {
        Map<String, Object> input = templateInput(context);
        List<String> secretValues = new ArrayList<>();
        Map<String, String> headers = headers(call, context, input, secretValues);
        Redactor redactor = new Redactor(secretValues);
        URI uri = uri(call, input);
        byte[] body = call.body() == null ? null
                : Json.write(call.body().render(input)).getBytes(StandardCharsets.UTF_8);
        String what = call.method() + " " + call.endpoint() + uri.getRawPath();
        OutboundHttpClient.Response response;
        try {
            response = client.execute(new OutboundHttpClient.Request(call.method(), uri, headers, body), timeout);
        } catch (ForbiddenAddressException | OutboundHttpClient.ResponseTooLargeException e) {
            throw new HttpStepException.Permanent(what + " refused: " + redactor.redact(e.getMessage()));
        } catch (ConnectTimeoutException e) {        // a SocketTimeoutException, but nothing was sent
            throw connectionFailed(call, what, context, e, redactor);
        } catch (SocketTimeoutException e) {
            String message = what + ": no response within " + timeout.toMillis() + " ms";
            throw call.responses().retryTimeouts() ? new HttpStepException.Retryable(message, null)
                    : new HttpStepException.Permanent(message + " (timeouts are not retried for this call)");
        } catch (IOException e) {
            throw connectionFailed(call, what, context, e, redactor);
        }
        return outcome(call, what, response, redactor);
    }

    private static HttpStepException connectionFailed(HttpCall call, String what, StepContext context, IOException e,
                                                      Redactor redactor) {
        if (context.cancellation().isCancelled()) {    // the saga no longer wants the outcome
            return new HttpStepException.Permanent(what + ": cancelled (" + context.cancellation().reason() + ")");
        }
        String message = what + ": connection failed: " + describe(e, redactor);
        return call.responses().retryConnectionErrors() ? new HttpStepException.Retryable(message, null)
                : new HttpStepException.Permanent(message);
    }

    private String outcome(HttpCall call, String what, OutboundHttpClient.Response response, Redactor redactor) {
        int status = response.status();
        String bodyText = new String(response.body(), StandardCharsets.UTF_8);
        switch (call.responses().classify(status)) {
            case SUCCESS -> {
                return result(call, what, status, response.headers(), bodyText, redactor);
            }
            case RETRY -> throw new HttpStepException.Retryable(what + " answered " + status + excerpt(bodyText, redactor),
                    retryAfter(response.headers().get("retry-after")));
            default -> {
                if (status >= 300 && status < 400) {
                    throw new HttpStepException.Permanent(what + " answered " + status + " redirecting to "
                            + redactor.redact(response.headers().getOrDefault("location", "(no location)"))
                            + "; redirects are not followed");
                }
                throw new HttpStepException.Permanent(what + " answered " + status + excerpt(bodyText, redactor));
            }
        }
    }

    private String result(HttpCall call, String what, int status, Map<String, String> headers, String bodyText,
                          Redactor redactor) {
        JsonNode body;
        try {
            body = Json.parse(bodyText);
        } catch (JsonProcessingException e) {
            body = TextNode.valueOf(bodyText);
        }
        JsonNode result = body;
        if (call.result() != null) {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("body", Json.toPlain(body));
            response.put("status", status);
            response.put("headers", headers);
            try {
                result = Json.fromPlain(call.result().evaluate(response));
            } catch (TemplateException e) {
                throw new HttpStepException.Permanent(what + ": the result selector " + redactor.redact(e.getMessage()));
            }
        }
        if (result.isNull()) {
            return null;
        }
        String text = redactor.redact(Json.write(result));
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > policy.maxResultBytes()) {
            throw new HttpStepException.Permanent(what + ": the result is " + bytes + " bytes; the limit is "
                    + policy.maxResultBytes() + " (select a part of the response with 'result')");
        }
        return text;
    }

    private Map<String, String> headers(HttpCall call, StepContext context, Map<String, Object> input,
                                        List<String> secretValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        call.headers().forEach((name, template) -> headers.put(name, headerValue(name, template.renderText(input, UnaryOperator.identity()))));
        call.secretHeaders().forEach((name, secret) -> {
            String value = secrets.resolve(secret.secret()).orElseThrow(() -> new HttpStepException.Permanent(
                    "secret " + secret.secret() + " (header " + name + ") is not set"));
            secretValues.add(value);
            headers.put(name, headerValue(name, secret.prefix() + value));
        });
        headers.put("Accept", "application/json");
        headers.put(IDEMPOTENCY_KEY, context.idempotencyKey());
        headers.put(EXECUTION, context.execution().value());
        headers.put(STEP, context.step());
        headers.put(ATTEMPT, Integer.toString(context.attempt()));
        headers.put(FENCING_TOKEN, Long.toString(context.fencingToken()));
        headers.put(COMPENSATION, Boolean.toString(context.compensation()));
        return headers;
    }

    private static String headerValue(String name, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new HttpStepException.Permanent("header " + name + " would contain a line break");
        }
        return value;
    }

    private static URI uri(HttpCall call, Map<String, Object> input) {
        String text = call.url().renderText(input, HttpStepRunner::encode);
        try {
            URI uri = new URI(text);
            if (!Endpoint.of(uri).equals(call.endpoint()) || uri.getRawUserInfo() != null) {
                throw new HttpStepException.Permanent("the URL no longer points at "
                        + call.endpoint() + " once its templates are filled in");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new HttpStepException.Permanent("the URL is not valid once its templates are filled in: "
                    + e.getReason());
        }
    }

    /** Percent-encodes a value put into a URL, so it cannot add path segments, a query or a fragment. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Map<String, Object> templateInput(StepContext context) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", context.session().value());
        session.put("tenant", context.tenant().value());
        session.put("metadata", sessions.metadata(context.tenant(), context.session()));
        Map<String, Object> steps = new LinkedHashMap<>();
        context.results().forEach((name, result) -> steps.put(name, plain(result)));
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("payload", plain(context.input()));
        input.put("session", session);
        input.put("execution", Map.of("id", context.execution().value()));
        input.put("steps", steps);
        return input;
    }

    /** JSON text as plain values; text that is not JSON (a Java step's result) stays a string. */
    private static Object plain(String text) {
        try {
            return Json.toPlain(Json.parse(text));
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    private static String excerpt(String body, Redactor redactor) {
        if (body.isBlank()) {
            return "";
        }
        String text = body.length() > ERROR_BODY_CHARS ? body.substring(0, ERROR_BODY_CHARS) + "..." : body;
        return ": " + redactor.redact(text.strip());
    }

    private static String describe(IOException e, Redactor redactor) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return redactor.redact(e instanceof ConnectException ? "connection refused (" + message + ")" : message);
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }
}
