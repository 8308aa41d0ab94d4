package dev.runtimeplane.service.api;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.service.api.SessionDtos.CreateSession;
import dev.runtimeplane.service.api.SessionDtos.CreatedSession;
import dev.runtimeplane.service.api.SessionDtos.SessionView;
import dev.runtimeplane.service.auth.TenantCredentials;
import dev.runtimeplane.service.config.RuntimeConfiguration;
import dev.runtimeplane.service.limits.Admission;
import dev.runtimeplane.state.StateSurface;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import dev.runtimeplane.service.api.problem.Problems;
import dev.runtimeplane.service.api.problem.ProblemDocument;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Sessions: create (returns the bearer token once), get, touch, delete. */
@Controller("/v1/sessions")
@Tag(name = "sessions")
public class SessionController {

    private static final String TTL_SECONDS = "ttlSeconds";

    private final StateSurface stateSurface;
    private final Authenticated authenticated;
    private final TenantCredentials credentials;
    private final Duration maxTtl;
    private final Duration defaultTtl;
    private final Admission admission;

    public SessionController(StateSurface stateSurface, Authenticated authenticated, TenantCredentials credentials,
                             RuntimeConfiguration.Sessions sessions, Admission admission) {
        this.admission = admission;
        this.stateSurface = stateSurface;
        this.authenticated = authenticated;
        this.credentials = credentials;
        this.maxTtl = sessions.getMaxTtl();
        this.defaultTtl = sessions.getDefaultTtl();
    }

    @Post
    @Operation(summary = "Open a session", description = "Needs the tenant's credential (Authorization: Bearer <API key "
            + "or JWT>); the session's tenant is the credential's (the body may omit it; naming another answers 403). "
            + "Returns the session id and its bearer token; the token is shown only here. With an Idempotency-Key "
            + "(per tenant), a retry of the same request returns the same session and token; the same key with a "
            + "different body answers 422.")
    @ApiResponse(responseCode = "201", description = "The session and its token",
            content = @Content(schema = @Schema(implementation = CreatedSession.class)))
    @ApiResponse(responseCode = "400", description = "A field or header is invalid; the problem names it", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "401", description = "No tenant credential, or not a valid one (WWW-Authenticate says how)",
            content = @Content(mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "403", description = "The credential is for another tenant than the body names", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "409", description = "The session opened with this Idempotency-Key was closed or has expired", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used for a different request", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "429", description = "The tenant reached one of its limits (the problem's 'limit' names it); retry after Retry-After", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable or overloaded; retry after Retry-After", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public CompletableFuture<HttpResponse<CreatedSession>> create(
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
            @Nullable @Header(IdempotencyKeys.HEADER) String idempotencyKey, HttpRequest<?> httpRequest,
            @Body CreateSession request) {
        IdempotencyKeys.requireValid(idempotencyKey);
        return credentials.tenant(authorization, httpRequest)
                .thenCompose(tenant -> create(tenant, idempotencyKey, request));
    }

    private CompletableFuture<HttpResponse<CreatedSession>> create(TenantId credentialTenant, String idempotencyKey,
                                                                   CreateSession request) {
        // the caller's tenant: what admission control counts against
        TenantId tenant = TenantCredentials.requireSame(credentialTenant,
                Optional.ofNullable(request.tenant()).map(SessionController::tenant));
        if (request.user() == null) {
            throw new InvalidArgumentException("user", "user is required");
        }
        Map<String, String> metadata = request.metadata() == null ? Map.of() : request.metadata();
        Duration ttl = request.ttlSeconds() == null || request.ttlSeconds().isNull() ? null : ttl(request.ttlSeconds());
        admission.admitSessionCreate(tenant);
        Duration sessionTtl = ttl == null ? defaultTtl : ttl;
        var created = idempotencyKey == null
                ? stateSurface.sessions().create(tenant, request.user(), metadata, sessionTtl)
                : stateSurface.sessions().create(tenant, request.user(), metadata, sessionTtl, idempotencyKey);
        return created.whenComplete((result, failure) -> admission.observe(failure)).thenApply(result -> {
            var session = result.session();
            return HttpResponse.created(new CreatedSession(session.id().value(), result.bearerToken(),
                            session.tenant().value(), session.user(), session.metadata(), session.createdAt(),
                            session.expiresAt()))
                    .headers(headers -> headers.location(URI.create("/v1/sessions/" + session.id().value())));
        });
    }

    @Get("/{sessionId}")
    @Operation(summary = "Get the caller's session")
    @ApiResponse(responseCode = "200", description = "The session",
            content = @Content(schema = @Schema(implementation = SessionView.class)))
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public CompletableFuture<SessionView> get(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                              String sessionId) {
        return authenticated.session(authorization, sessionId,
                session -> CompletableFuture.completedFuture(SessionView.of(session)));
    }

    @Post("/{sessionId}/touch")
    @Operation(summary = "Extend the session by its TTL from now")
    @ApiResponse(responseCode = "200", description = "The session with its new expiry",
            content = @Content(schema = @Schema(implementation = SessionView.class)))
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable or overloaded; retry after Retry-After", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public CompletableFuture<SessionView> touch(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                String sessionId) {
        return authenticated.session(authorization, sessionId,
                session -> stateSurface.sessions().touch(session.tenant(), session.id()).thenApply(SessionView::of));
    }

    @Delete("/{sessionId}")
    @Operation(summary = "Close the session", description = "Removes the session, its state and its index entries.")
    @ApiResponse(responseCode = "204", description = "Closed")
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable or overloaded; retry after Retry-After", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public CompletableFuture<HttpResponse<Void>> delete(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                        String sessionId) {
        return authenticated.session(authorization, sessionId,
                session -> stateSurface.sessions().close(session.tenant(), session.id())
                        .thenApply(ignored -> HttpResponse.<Void>noContent()));
    }

    /** The tenant, with the error naming the body's field ({@code tenant}), not the id type. */
    private static TenantId tenant(String tenant) {
        try {
            return TenantId.of(tenant);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("tenant", e.getMessage());
        }
    }

    /** A JSON integer from 1 to the configured maximum; anything else (true, 1.5, "3600", 1e400) is a 400. */
    private Duration ttl(JsonNode value) {
        String rule = "ttlSeconds must be a JSON integer from 1 to " + maxTtl.toSeconds();
        if (!value.isNumber() || isFraction(value)) {
            throw new InvalidArgumentException(TTL_SECONDS, rule);
        }
        BigInteger seconds = value.getBigIntegerValue();
        if (seconds.signum() < 1 || seconds.compareTo(BigInteger.valueOf(maxTtl.toSeconds())) > 0) {
            throw new InvalidArgumentException(TTL_SECONDS, rule + "; was " + abbreviated(seconds));
        }
        return Duration.ofSeconds(seconds.longValueExact());
    }

    /** 2.0 and 1e3 are not integers in JSON's terms: the client sent a decimal point or an exponent. */
    private static boolean isFraction(JsonNode value) {
        Number number = value.getNumberValue();
        return number instanceof Double || number instanceof Float || number instanceof BigDecimal;
    }

    private static String abbreviated(BigInteger number) {
        String digits = number.toString();
        return digits.length() <= 24 ? digits : digits.substring(0, 20) + "... (" + digits.length() + " digits)";
    }
}
