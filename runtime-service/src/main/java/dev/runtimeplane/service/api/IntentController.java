package dev.runtimeplane.service.api;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.declarative.PayloadProblem;
import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaOwner;
import dev.runtimeplane.saga.SagaStep;
import dev.runtimeplane.service.api.IntentDtos.IntentAccepted;
import dev.runtimeplane.service.api.IntentDtos.IntentTypeView;
import dev.runtimeplane.service.api.IntentDtos.IntentVersionView;
import dev.runtimeplane.service.api.IntentDtos.SubmitIntent;
import dev.runtimeplane.service.api.problem.ProblemDocument;
import dev.runtimeplane.service.api.problem.Problems;
import dev.runtimeplane.service.intent.IntentCatalog;
import dev.runtimeplane.service.intent.IntentVersion;
import dev.runtimeplane.service.lifecycle.DrainState;
import dev.runtimeplane.service.limits.Admission;
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
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

    static final String IDEMPOTENCY_KEY = IdempotencyKeys.HEADER;

    private final Authenticated authenticated;
    private final IntentCatalog catalog;
    private final SagaCoordinator coordinator;
    private final DrainState drainState;
    private final JsonMapper json;
    private final Admission admission;

    public IntentController(Authenticated authenticated, IntentCatalog catalog, SagaCoordinator coordinator,
                            DrainState drainState, JsonMapper json, Admission admission) {
        this.admission = admission;
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
    @ApiResponse(responseCode = "202", description = "Accepted: the execution's start is durable",
            content = @Content(schema = @Schema(implementation = IntentAccepted.class)))
    @ApiResponse(responseCode = "400", description = "A field or header is invalid; the problem names it", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "422", description = "Unknown intent type, or an Idempotency-Key reused for a different request", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "429", description = "The tenant reached one of its limits (the problem's 'limit' names it); retry after Retry-After", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable or overloaded; retry after Retry-After", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public HttpResponse<IntentAccepted> submit(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                               @Nullable @Header(IDEMPOTENCY_KEY) String idempotencyKey,
                                               String sessionId, @Body SubmitIntent request) {
        IdempotencyKeys.requireValid(idempotencyKey);
        try (Authenticated.CallerScope caller = authenticated.require(authorization, sessionId)) {
            if (drainState.refusingNewWork()) {
                throw new UnavailableException("this replica is shutting down; retry (another replica will take it)",
                        Duration.ofSeconds(1), null);
            }
            if (request.type() == null) {
                throw new InvalidArgumentException("type", "type is required; GET /v1/intent-types lists them");
            }
            IntentVersion type = catalog.require(request.type(), request.version());
            String input = request.payload() == null ? "{}" : write(IdempotencyKeys.canonical(request.payload()));
            List<PayloadProblem> problems = type.validatePayload(input);
            if (!problems.isEmpty()) {
                PayloadProblem first = problems.getFirst();
                throw new InvalidArgumentException("/payload" + first.pointer(), problems.stream()
                        .map(problem -> "/payload" + problem.pointer() + ": " + problem.message())
                        .collect(Collectors.joining("; ", "the payload does not match " + type.type() + " v"
                                + type.version() + "'s schema: ", "")));
            }
            var session = caller.session();
            TenantId tenant = session.tenant(); // the caller's tenant: what admission control counts against
            ExecutionId execution;
            try (Admission.Permit admitted = admission.admitStart(tenant)) {
                execution = coordinator.start(type.saga(), new SagaOwner(tenant, session.id()), input, idempotencyKey);
            }
            if (idempotencyKey != null) {
                requireSameRequest(idempotencyKey, type, request.version(), input, new ExecutionKey(session.tenant(), execution));
            }
            String url = "/v1/sessions/" + session.id().value() + "/executions/" + execution.value();
            return HttpResponse.accepted(URI.create(url))
                    .body(new IntentAccepted(execution.value(), type.type(), url, url + "/events", url + "/stream"));
        }
    }

    /**
     * A key reused for a different request (another intent type or payload; the key is scoped to the
     * session, so the path is the same) is a client bug, not a repeat: 422 rather than the old execution.
     * The fingerprint is the type, the canonical payload the execution was started with and, when the
     * request names one, the version (a retry without one is the same request even if a newer version was
     * registered since).
     */
    private void requireSameRequest(String idempotencyKey, IntentVersion type, @Nullable Integer requestedVersion,
                                    String input, ExecutionKey execution) {
        ExecutionView earlier = coordinator.status(execution);
        boolean otherVersion = requestedVersion != null && requestedVersion != earlier.definitionVersion();
        if (!earlier.definition().equals(type.type()) || otherVersion || !input.equals(canonicalInput(earlier.input()))) {
            throw new RuntimePlaneException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + idempotencyKey
                    + "' was already used for a different request (execution " + execution.execution().value()
                    + "); send a new key for a new request", IDEMPOTENCY_KEY, null);
        }
    }

    /** Inputs are stored canonical; this also canonicalises ones stored before that. */
    private String canonicalInput(String stored) {
        try {
            return write(IdempotencyKeys.canonical(json.readValue(stored, JsonNode.class)));
        } catch (IOException | RuntimeException e) {
            return stored;
        }
    }

    private IntentTypeView view(List<IntentVersion> versions) {
        IntentVersion latest = versions.getFirst();
        return new IntentTypeView(latest.type(), latest.origin(), latest.description(), latest.version(), steps(latest),
                read(latest.examplePayload()), schema(latest), latest.warnings(), versions.stream().map(this::view).toList());
    }

    private IntentVersionView view(IntentVersion version) {
        return new IntentVersionView(version.version(), version.description(), steps(version),
                read(version.examplePayload()), schema(version), version.warnings());
    }

    private JsonNode schema(IntentVersion version) {
        return version.payloadSchema() == null ? null : read(version.payloadSchema().source().toString());
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
