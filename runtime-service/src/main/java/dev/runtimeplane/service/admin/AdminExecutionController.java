package dev.runtimeplane.service.admin;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.log.LogContext;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.OperatorNote;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaState;
import dev.runtimeplane.service.admin.AdminExecutionDtos.ActionRequest;
import dev.runtimeplane.service.admin.AdminExecutionDtos.Event;
import dev.runtimeplane.service.admin.AdminExecutionDtos.ExecutionCounts;
import dev.runtimeplane.service.admin.AdminExecutionDtos.ExecutionDetail;
import dev.runtimeplane.service.admin.AdminExecutionDtos.ExecutionItem;
import dev.runtimeplane.service.admin.AdminExecutionDtos.ExecutionList;
import dev.runtimeplane.service.api.EventStreams;
import dev.runtimeplane.service.limits.Admission;
import dev.runtimeplane.state.ExecutionIndex;
import dev.runtimeplane.state.ExecutionIndex.ExecutionPage;
import dev.runtimeplane.state.ExecutionIndex.ExecutionQuery;
import dev.runtimeplane.state.StateSurface;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;

/**
 * Every execution, whatever its session, for operators: the filtered list, counts by state, detail,
 * history, live feed and the actions (runtime-service/ADMIN-API.md). Admin port only, admin token.
 * Runs on virtual threads: reads wait for Redis, actions until they are journaled and stored.
 */
@Hidden
@Controller(value = "/admin/v1/executions", port = "${runtime.admin.port:8082}")
@ExecuteOn(TaskExecutors.VIRTUAL)
public class AdminExecutionController {

    static final String ACTOR_HEADER = "X-Admin-Actor";
    private static final int DEFAULT_LIMIT = 50;
    private static final Pattern ACTOR = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final List<String> STATES = Arrays.stream(SagaState.values()).map(Enum::name).toList();

    private final AdminCredential credential;
    private final SagaCoordinator coordinator;
    private final ExecutionIndex index;
    private final Admission admission;

    public AdminExecutionController(AdminCredential credential, SagaCoordinator coordinator, StateSurface stateSurface,
                                    Admission admission) {
        this.admission = admission;
        this.credential = credential;
        this.coordinator = coordinator;
        this.index = stateSurface.executionIndex();
    }

    @Get
    public ExecutionList list(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                              @Nullable @QueryValue String state, @Nullable @QueryValue String type,
                              @Nullable @QueryValue String version, @Nullable @QueryValue String tenant,
                              @Nullable @QueryValue String session, @Nullable @QueryValue String owner,
                              @Nullable @QueryValue String updatedAfter, @Nullable @QueryValue String updatedBefore,
                              @Nullable @QueryValue String limit, @Nullable @QueryValue String cursor) {
        credential.require(authorization);
        if (state != null && !STATES.contains(state)) {
            throw new InvalidArgumentException("state", "state must be one of " + STATES);
        }
        TenantId tenantId = tenant == null ? null : parse("tenant", () -> TenantId.of(tenant));
        SessionId sessionId = session == null ? null : parse("session", () -> SessionId.of(session));
        ExecutionQuery query = new ExecutionQuery(state, tenantId, sessionId, blankToNull(type),
                version == null ? null : integer("version", version), blankToNull(owner),
                updatedBefore == null ? null : instant("updatedBefore", updatedBefore),
                updatedAfter == null ? null : instant("updatedAfter", updatedAfter),
                limit == null ? DEFAULT_LIMIT : integer("limit", limit), blankToNull(cursor));
        ExecutionPage page = await(index.page(query));
        return new ExecutionList(page.items().stream().map(ExecutionItem::of).toList(), page.nextCursor());
    }

    @Get("/counts")
    public ExecutionCounts counts(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        credential.require(authorization);
        Map<String, Long> counts = new LinkedHashMap<>(await(index.countByState(STATES)));
        return new ExecutionCounts(counts, counts.values().stream().mapToLong(Long::longValue).sum());
    }

    @Get("/{tenant}/{executionId}")
    public ExecutionDetail detail(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, String tenant,
                                  String executionId) {
        credential.require(authorization);
        ExecutionKey key = key(tenant, executionId);
        return detail(key, view(key));
    }

    @Get("/{tenant}/{executionId}/events")
    public List<Event> events(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, String tenant,
                              String executionId) {
        credential.require(authorization);
        ExecutionKey key = key(tenant, executionId);
        view(key);
        return coordinator.history(key).stream().map(Event::of).toList();
    }

    @Get(value = "/{tenant}/{executionId}/stream", produces = MediaType.TEXT_EVENT_STREAM)
    public HttpResponse<Flux<io.micronaut.http.sse.Event<Event>>> stream(
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
            @Nullable @Header(EventStreams.LAST_EVENT_ID) String lastEventId, String tenant, String executionId) {
        credential.require(authorization);
        ExecutionKey key = key(tenant, executionId);
        return EventStreams.respond(coordinator, key, view(key), lastEventId, Event::of, admission.admitStream());
    }

    /** {@code cancel}, {@code retry}, {@code resolve} or {@code redrive}; answers once the action is durable. */
    @Post("/{tenant}/{executionId}/{action}")
    public ExecutionDetail act(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                               @Nullable @Header(ACTOR_HEADER) String actorHeader, String tenant, String executionId,
                               String action, @Nullable @Body ActionRequest body) {
        credential.require(authorization);
        ExecutionKey key = key(tenant, executionId);
        OperatorNote note = note(body, actorHeader);
        ExecutionView after = switch (action) {
            case "cancel" -> coordinator.cancel(key, note);
            case "retry" -> coordinator.retryCompensation(key, note);
            case "resolve" -> coordinator.resolve(key, note);
            case "redrive" -> coordinator.redrive(key, note);
            default -> throw new NotFoundException("no action '" + action + "'; actions: cancel, retry, resolve, redrive");
        };
        return detail(key, after);
    }

    private ExecutionDetail detail(ExecutionKey key, ExecutionView view) {
        String holder = coordinator.leaseHolder(key).orElse(null);
        return ExecutionDetail.of(view, holder, view.state() == SagaState.RESOLVED ? coordinator.history(key) : List.of());
    }

    private ExecutionView view(ExecutionKey key) {
        ExecutionView view = coordinator.status(key);
        LogContext.execution(view.execution().value());
        return view;
    }

    private static OperatorNote note(ActionRequest body, String actorHeader) {
        String actor = body != null && body.actor() != null ? body.actor() : actorHeader;
        if (actor != null && !ACTOR.matcher(actor).matches()) {
            throw new InvalidArgumentException("actor", "actor must be 1 to 128 printable ASCII characters without spaces");
        }
        String reason = body == null ? null : body.reason();
        if (reason == null || reason.isBlank()) {
            throw new InvalidArgumentException("reason", "reason is required: say why");
        }
        return new OperatorNote(actor == null ? "admin" : "admin:" + actor, reason);
    }

    private static ExecutionKey key(String tenant, String executionId) {
        try {
            return new ExecutionKey(TenantId.of(tenant), ExecutionId.of(executionId));
        } catch (InvalidArgumentException e) {
            throw new NotFoundException("no execution '" + executionId + "' of tenant '" + tenant + "'");
        }
    }

    private static <T> T parse(String field, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException(field, field + " is not valid: " + e.getMessage());
        }
    }

    private static int integer(String field, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(field, field + " must be an integer, was '" + value + "'");
        }
    }

    private static long instant(String field, String value) {
        try {
            return Instant.parse(value.strip()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidArgumentException(field, field + " must be an ISO-8601 instant such as 2026-12-02T08:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Redis calls always complete (the state surface bounds every command); their typed errors pass through. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
