package dev.runtimeplane.service.intent;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.declarative.PayloadSchema;
import dev.runtimeplane.saga.RetryPolicy;
import dev.runtimeplane.saga.SagaDefinition;
import dev.runtimeplane.saga.StepAction;
import dev.runtimeplane.saga.StepCompensation;
import dev.runtimeplane.saga.StepContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The example sagas a new user can submit in the first five minutes (see README "Try it"). They call
 * no real systems: each step stands for a remote call and returns a confirmation derived from its
 * idempotency key, as an idempotent remote system would. Off unless switched on with
 * {@code runtime.examples.enabled=true} (RUNTIME_EXAMPLES_ENABLED): {@code cpu-work} burns CPU on request, and
 * {@code noop-3} is the benchmarks' empty saga.
 */
@Factory
@Requires(property = "runtime.examples.enabled", value = "true")
public class ExampleIntents {

    static final long MAX_CPU_MILLIS = 5_000;

    private final JsonMapper json;
    /** Resolved lazily: the registry's binders depend on the coordinator, which depends on these sagas. */
    private final BeanProvider<MeterRegistry> meters;

    public ExampleIntents(JsonMapper json, BeanProvider<MeterRegistry> meters) {
        this.json = json;
        this.meters = meters;
    }

    /**
     * Books a trip in three steps, each undone by its compensation if a later one fails. The payload may
     * ask for a failure ({@code "failAt": "charge-card"}) to show compensation, or for a step that fails
     * once and succeeds on retry ({@code "flakyAt": "reserve-hotel"}).
     */
    @Singleton
    @Named("trip-booking")
    IntentType tripBooking() {
        SagaDefinition definition = SagaDefinition.builder("trip-booking", 1)
                .step("reserve-flight", timed("trip-booking", "reserve-flight", this::confirm), this::release)
                .retry(retries()).timeout(Duration.ofSeconds(5))
                .step("reserve-hotel", timed("trip-booking", "reserve-hotel", this::confirm), this::release)
                .retry(retries()).timeout(Duration.ofSeconds(5))
                .step("charge-card", timed("trip-booking", "charge-card", this::confirm), this::release)
                .retry(retries()).timeout(Duration.ofSeconds(5))
                .deadline(Duration.ofMinutes(2))
                .build();
        String steps = definition.steps().stream().map(step -> "\"" + step.name() + "\"")
                .collect(Collectors.joining(","));
        return new IntentType("trip-booking",
                "Reserves a flight and a hotel, then charges the card; a failure undoes what was done, in reverse. "
                        + "Payload: {\"traveller\": \"...\", \"failAt\": \"<step>\"?, \"flakyAt\": \"<step>\"?}",
                definition, "{\"traveller\":\"ada\",\"nights\":2}", PayloadSchema.of("""
                        {"type": "object", "properties": {
                          "traveller": {"type": "string", "minLength": 1},
                          "nights": {"type": "integer", "minimum": 1},
                          "failAt": {"enum": [%s]},
                          "flakyAt": {"enum": [%s]}}}""".formatted(steps, steps)));
    }

    /** Burns CPU for {@code millis} (at most 5000): a load generator for the responsiveness checks. */
    @Singleton
    @Named("cpu-work")
    IntentType cpuWork() {
        SagaDefinition definition = SagaDefinition.builder("cpu-work", 1)
                .step("compute", timed("cpu-work", "compute", this::burn))
                .retry(RetryPolicy.builder().maxAttempts(1).build())
                .build();
        return new IntentType("cpu-work", "Spins on the CPU for the given time. Payload: {\"millis\": 1..5000}",
                definition, "{\"millis\":200}", PayloadSchema.of("""
                        {"type": "object", "properties": {
                          "millis": {"type": "integer", "minimum": 1, "maximum": %d}}}""".formatted(MAX_CPU_MILLIS)));
    }

    /**
     * Three steps that do nothing: what the HTTP saga benchmark submits, to measure the runtime's own cost
     * per saga (the journal, Redis and the HTTP edge) with nothing else in it; the saga module's in-process
     * benchmark runs the same shape.
     */
    @Singleton
    @Named("noop-3")
    IntentType noop3() {
        SagaDefinition definition = SagaDefinition.builder("noop-3", 1)
                .step("a", context -> "{}")
                .step("b", context -> "{}")
                .step("c", context -> "{}")
                .build();
        return new IntentType("noop-3", "Three steps that do nothing (for measuring the runtime's own cost). Payload: {}",
                definition, "{}", PayloadSchema.of("{\"type\": \"object\"}"));
    }

    private StepAction timed(String intent, String step, StepAction action) {
        return new TimedStep(intent, step, action);
    }

    private static RetryPolicy retries() {
        return RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(1)).nonRetryable(RequestedFailure.class).build();
    }

    /** A stand-in for a remote call: a short pause, then a confirmation that depends only on the idempotency key. */
    private String confirm(StepContext context) throws InterruptedException {
        JsonNode payload = payload(context);
        if (context.step().equals(text(payload, "failAt"))) {
            throw new RequestedFailure(context.step() + " failed as the payload asked (failAt)");
        }
        if (context.step().equals(text(payload, "flakyAt")) && context.attempt() == 1) {
            throw new IllegalStateException(context.step() + " failed once as the payload asked (flakyAt)");
        }
        Thread.sleep(20);
        context.cancellation().throwIfCancelled();
        return "{\"confirmation\":\"" + confirmation(context.idempotencyKey()) + "\"}";
    }

    private void release(StepContext context) throws InterruptedException {
        Thread.sleep(10);
    }

    private String burn(StepContext context) {
        // The payload schema refuses a bad millis at submit; an execution started before it had one ends here.
        JsonNode millisNode = payload(context).get("millis");
        long millis = millisNode == null || !millisNode.isNumber() ? 200 : millisNode.getLongValue();
        if (millis < 1 || millis > MAX_CPU_MILLIS) {
            throw new RequestedFailure("millis must be 1.." + MAX_CPU_MILLIS + ", was " + millis);
        }
        long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        long hashes = 0;
        // Hash in place: pure CPU, no allocation, so the load measures scheduling and not the GC.
        byte[] block = Arrays.copyOf(context.idempotencyKey().getBytes(StandardCharsets.UTF_8), 32);
        MessageDigest digest = sha256();
        try {
            while (System.nanoTime() < end && !context.cancellation().isCancelled()) {
                digest.update(block);
                digest.digest(block, 0, block.length);
                hashes++;
            }
        } catch (DigestException e) {
            throw new IllegalStateException("a SHA-256 digest always fits 32 bytes", e);
        }
        context.cancellation().throwIfCancelled(); // stopped early: no result for work it did not do
        return "{\"millis\":" + millis + ",\"hashes\":" + hashes + "}";
    }

    private JsonNode payload(StepContext context) {
        try {
            JsonNode node = json.readValue(context.input(), JsonNode.class);
            return node == null || !node.isObject() ? JsonNode.createObjectNode(java.util.Map.of()) : node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value != null && value.isString() ? value.getStringValue() : null;
    }

    private static String confirmation(String idempotencyKey) {
        byte[] hash = sha256().digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, 6).toUpperCase();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** A failure the payload asked for: never retried, so the saga compensates at once. */
    static final class RequestedFailure extends InvalidArgumentException {
        RequestedFailure(String message) {
            super("payload", message);
        }
    }

    /**
     * Records each attempt's duration as {@code runtime.saga.step.duration{intent,step}}. The timer is
     * registered on first use, once: the registry cannot be resolved while the sagas are being built.
     */
    private final class TimedStep implements StepAction {
        private final String intent;
        private final String step;
        private final StepAction action;
        private volatile Timer timer;

        TimedStep(String intent, String step, StepAction action) {
            this.intent = intent;
            this.step = step;
            this.action = action;
        }

        @Override
        public String run(StepContext context) throws Exception {
            long begin = System.nanoTime();
            try {
                return action.run(context);
            } finally {
                timer().record(System.nanoTime() - begin, TimeUnit.NANOSECONDS);
            }
        }

        private Timer timer() {
            Timer registered = timer;
            if (registered == null) {
                registered = Timer.builder("runtime.saga.step.duration")
                        .description("Time of one step attempt, success or failure")
                        .tag("intent", intent).tag("step", step)
                        .publishPercentileHistogram()
                        .register(meters.get());
                timer = registered;
            }
            return registered;
        }
    }
}
