package dev.runtimeplane.service.api;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.log.LogContext;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.service.api.ExecutionDtos.ExecutionEvent;
import dev.runtimeplane.service.api.ExecutionDtos.ExecutionStatus;
import dev.runtimeplane.service.api.problem.ProblemDocument;
import dev.runtimeplane.service.api.problem.Problems;
import dev.runtimeplane.service.limits.Admission;
import dev.runtimeplane.state.Session;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * An execution's status, history, live event stream and cancel. Only the session that submitted it
 * sees it; any other caller gets 404.
 */
@Controller("/v1/sessions/{sessionId}/executions/{executionId}")
@ExecuteOn(TaskExecutors.VIRTUAL)
@Tag(name = "executions")
public class ExecutionController {

    private final Authenticated authenticated;
    private final SagaCoordinator coordinator;
    private final Admission admission;

    public ExecutionController(Authenticated authenticated, SagaCoordinator coordinator, Admission admission) {
        this.authenticated = authenticated;
        this.admission = admission;
        this.coordinator = coordinator;
    }

    @Get
    @Operation(summary = "Execution status with per-step detail")
    @ApiResponse(responseCode = "200", description = "The execution",
            content = @Content(schema = @Schema(implementation = ExecutionStatus.class)))
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public ExecutionStatus status(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                  String sessionId, String executionId) {
        try (Authenticated.CallerScope caller = authenticated.require(authorization, sessionId)) {
            return ExecutionStatus.of(ownView(caller.session(), executionId));
        }
    }

    @Get("/events")
    @Operation(summary = "The execution's history, oldest first")
    @ApiResponse(responseCode = "200", description = "The history",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = ExecutionEvent.class))))
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public List<ExecutionEvent> events(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                       String sessionId, String executionId) {
        try (Authenticated.CallerScope caller = authenticated.require(authorization, sessionId)) {
            ownView(caller.session(), executionId);
            return coordinator.history(key(caller.session(), executionId)).stream().map(ExecutionEvent::of).toList();
        }
    }

    @Post("/cancel")
    @Operation(summary = "Cancel the execution",
            description = "Completed steps are compensated in reverse order. 409 when the execution has already finished.")
    @ApiResponse(responseCode = "202", description = "Cancel recorded; compensation follows",
            content = @Content(schema = @Schema(implementation = ExecutionStatus.class)))
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "409", description = "The execution has already finished", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public HttpResponse<ExecutionStatus> cancel(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                String sessionId, String executionId) {
        try (Authenticated.CallerScope caller = authenticated.require(authorization, sessionId)) {
            ExecutionView view = ownView(caller.session(), executionId);
            if (view.terminal()) {
                throw new RuntimePlaneException(ErrorCode.CONFLICT, "execution " + executionId + " has already finished "
                        + view.state().name() + "; there is nothing to cancel", "state", null);
            }
            return HttpResponse.accepted().body(ExecutionStatus.of(coordinator.cancel(key(caller.session(), executionId))));
        }
    }

    /**
     * Server-sent events, one per history entry (the event id is its index), from the start or after
     * {@code Last-Event-ID}; the stream ends after the execution's FINISHED event. A reconnect after the
     * last event of a finished execution (what an EventSource does once the stream closed) answers 204,
     * which tells an EventSource to stop reconnecting.
     */
    @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(summary = "Live event stream (SSE); ends when the execution is terminal")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(implementation = ExecutionEvent.class)))
    @ApiResponse(responseCode = "204", description = "Last-Event-ID is the last event of a finished execution")
    @ApiResponse(responseCode = "400", description = "Last-Event-ID is not an event id this stream sent", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "This replica serves its limit of event streams; retry after Retry-After", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public HttpResponse<Flux<Event<ExecutionEvent>>> stream(
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
            @Nullable @Header(EventStreams.LAST_EVENT_ID) String lastEventId, String sessionId, String executionId) {
        try (Authenticated.CallerScope caller = authenticated.require(authorization, sessionId)) {
            ExecutionView view = ownView(caller.session(), executionId);
            return EventStreams.respond(coordinator, key(caller.session(), executionId), view, lastEventId,
                    ExecutionEvent::of, admission.admitStream());
        }
    }

    private ExecutionView ownView(Session caller, String executionId) {
        ExecutionView view;
        try {
            view = coordinator.status(key(caller, executionId));
        } catch (NotFoundException e) {
            throw notFound(executionId);
        }
        if (!view.session().equals(caller.id())) {
            throw notFound(executionId);
        }
        LogContext.execution(view.execution().value());
        return view;
    }

    private static ExecutionKey key(Session caller, String executionId) {
        try {
            return new ExecutionKey(caller.tenant(), ExecutionId.of(executionId));
        } catch (InvalidArgumentException e) {
            throw notFound(executionId);
        }
    }

    private static NotFoundException notFound(String executionId) {
        return new NotFoundException("no execution '" + executionId + "' in this session");
    }
}
