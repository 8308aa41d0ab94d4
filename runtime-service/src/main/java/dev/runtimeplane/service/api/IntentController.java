package dev.runtimeplane.service.api;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.declarative.PayloadProblem;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaOwner;
import dev.runtimeplane.saga.SagaStep;
import dev.runtimeplane.service.api.IntentDtos.IntentAccepted;
import dev.runtimeplane.service.api.IntentDtos.IntentTypeView;
import dev.runtimeplane.service.api.IntentDtos.IntentVersionView;
import dev.runtimeplane.service.api.IntentDtos.SubmitIntent;
import dev.runtimeplane.service.intent.IntentCatalog;
import dev.runtimeplane.service.intent.IntentVersion;
import dev.runtimeplane.service.lifecycle.DrainState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Intents: submit one to a session (it runs as a saga), and list what can be submitted. */
@Controller("/v1")
@Tag(name = "intents")
public class IntentController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Authenticated authenticated;
    private final IntentCatalog catalog;
    private final SagaCoordinator coordinator;
    private final DrainState drainState;
    private final JsonMapper json;

    public IntentController(Authenticated authenticated, IntentCatalog catalog, SagaCoordinator coordinator,
                            DrainState drainState, JsonMapper json) {
        this.authenticated = authenticated;
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.drainState = drainState;
        this.json = json;
    }

    @Get("/intent-types")
    @Operation(summary = "List the intent types that can be submitted, Java and declarative, with every version (latest first)")
    public List<IntentTypeView> types() {
        return catalog.all().stream().map(this::view).toList();
    }

    /** Runs on a virtual thread: the start waits until it is durable in the write-ahead log. */
    @Post("/sessions/{sessionId}/intents")
    @ExecuteOn(TaskExecutors.VIRTUAL)
    @Operation(summary = "Submit an intent",
            description = "202 once the execution's start is durable. With an Idempotency-Key, a repeat returns the same execution.")
    public HttpResponse<IntentAccepted> submit(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                               @Nullable @Header(IDEMPOTENCY_KEY) String idempotencyKey,
                                               String sessionId, @Body SubmitIntent request) {
        try (Authenticated.CallerScope caller = authenticated.require(authorization, sessionId)) {
            if (drainState.refusingNewWork()) {
                throw new UnavailableException("this replica is shutting down; retry (another replica will take it)",
                        Duration.ofSeconds(1), null);
            }
            if (request.type() == null) {
                throw new InvalidArgumentException("type", "type is required; GET /v1/intent-types lists them");
            }
            IntentVersion type = catalog.require(request.type(), request.version());
            String input = request.payload() == null ? "{}" : write(request.payload());
            List<PayloadProblem> problems = type.validatePayload(input);
            if (!problems.isEmpty()) {
                PayloadProblem first = problems.getFirst();
                throw new InvalidArgumentException("/payload" + first.pointer(), problems.stream().map(PayloadProblem::message)
                        .collect(Collectors.joining("; ", "the payload does not match " + type.type() + " v"
                                + type.version() + "'s schema: ", "")));
            }
            var session = caller.session();
            ExecutionId execution = coordinator.start(type.saga(), new SagaOwner(session.tenant(), session.id()),
                    input, idempotencyKey);
            if (idempotencyKey != null) {
                requireSameIntent(idempotencyKey, type, new ExecutionKey(session.tenant(), execution));
            }
            String url = "/v1/sessions/" + session.id().value() + "/executions/" + execution.value();
            return HttpResponse.accepted(URI.create(url))
                    .body(new IntentAccepted(execution.value(), type.type(), url, url + "/events", url + "/stream"));
        }
    }

    /** A key reused for a different intent type is a client bug, not a repeat: 409 rather than the old execution. */
    private void requireSameIntent(String idempotencyKey, IntentVersion type, ExecutionKey execution) {
        String earlier = coordinator.status(execution).definition();
        if (!earlier.equals(type.type())) {
            throw new RuntimePlaneException(ErrorCode.CONFLICT, "Idempotency-Key '" + idempotencyKey
                    + "' was already used for a " + earlier + " intent; use a new key for a new intent",
                    IDEMPOTENCY_KEY, null);
        }
    }

    private IntentTypeView view(List<IntentVersion> versions) {
        IntentVersion latest = versions.getFirst();
        return new IntentTypeView(latest.type(), latest.origin(), latest.description(), latest.version(), steps(latest),
                read(latest.examplePayload()), latest.warnings(), versions.stream().map(this::view).toList());
    }

    private IntentVersionView view(IntentVersion version) {
        return new IntentVersionView(version.version(), version.description(), steps(version),
                read(version.examplePayload()), version.warnings());
    }

    private static List<String> steps(IntentVersion version) {
        return version.saga().steps().stream().map(SagaStep::name).toList();
    }

    private String write(JsonNode payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode read(String payload) {
        if (payload == null) {
            return null;
        }
        try {
            return json.readValue(payload, JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
