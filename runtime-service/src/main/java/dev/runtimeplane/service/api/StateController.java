package dev.runtimeplane.service.api;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.VersionConflictException;
import dev.runtimeplane.service.api.problem.ProblemDocument;
import dev.runtimeplane.service.api.problem.Problems;
import dev.runtimeplane.state.Session;
import dev.runtimeplane.state.StateDocument;
import dev.runtimeplane.state.StateSurface;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Put;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A session's state: one JSON document with a version. The version travels as a strong ETag
 * ({@code "7"}); writes name the version they replace in If-Match, so two clients never overwrite each
 * other unknowingly.
 */
@Controller("/v1/sessions/{sessionId}/state")
@Tag(name = "session state")
public class StateController {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private final StateSurface stateSurface;
    private final Authenticated authenticated;

    public StateController(StateSurface stateSurface, Authenticated authenticated) {
        this.stateSurface = stateSurface;
        this.authenticated = authenticated;
    }

    @Get
    @Operation(summary = "Read the state document",
            description = "The ETag header carries its version. With If-None-Match naming it: 304 and no body.")
    @ApiResponse(responseCode = "200", description = "The state document; ETag carries its version", content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @ApiResponse(responseCode = "304", description = "If-None-Match names the current version")
    @ApiResponse(responseCode = "400", description = "If-None-Match is malformed", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public CompletableFuture<HttpResponse<String>> read(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                        @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                                                        String sessionId) {
        EntityTags unless = ifNoneMatch == null ? null : EntityTags.parse(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
        return authenticated.session(authorization, sessionId,
                session -> stateSurface.sessionState().read(session.tenant(), session.id()).thenApply(document ->
                        unless != null && unless.weakMatch(document.version())
                                ? HttpResponse.<String>notModified().header(HttpHeaders.ETAG, etag(document))
                                : document(document)));
    }

    @Put
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the state document",
            description = "Requires If-Match with the current ETag: 428 without it, 412 when it is stale.")
    @ApiResponse(responseCode = "200", description = "The new state document", content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @ApiResponse(responseCode = "400", description = "A field or header is invalid; the problem names it", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "413", description = "The document is larger than the limit", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "428", description = "If-Match is missing", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable or overloaded; retry after Retry-After", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public CompletableFuture<HttpResponse<String>> write(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                         @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                                         String sessionId, @Body String document) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new RuntimePlaneException(ErrorCode.PRECONDITION_REQUIRED,
                    "send If-Match with the ETag of the state you replace (GET it first)", HttpHeaders.IF_MATCH, null);
        }
        EntityTags condition = EntityTags.parse(HttpHeaders.IF_MATCH, ifMatch);
        return authenticated.session(authorization, sessionId, session -> expectedVersion(session, condition)
                .thenCompose(expected -> stateSurface.sessionState().write(session.tenant(), session.id(), document,
                        expected.getAsLong()))
                .thenApply(StateController::document));
    }

    @Patch
    @Consumes({MERGE_PATCH_JSON, MediaType.APPLICATION_JSON})
    @Operation(summary = "Merge-patch the state document (RFC 7396)",
            description = "If-Match is optional: with it the patch applies only to that version (412 otherwise).")
    @ApiResponse(responseCode = "200", description = "The patched state document", content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @ApiResponse(responseCode = "400", description = "A field or header is invalid; the problem names it", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "No such session (or execution) for this bearer token", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "413", description = "The document is larger than the limit", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable or overloaded; retry after Retry-After", content = @Content(
            mediaType = Problems.PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDocument.class)))
    public CompletableFuture<HttpResponse<String>> patch(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                         @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                                         String sessionId, @Body String patch) {
        EntityTags condition = ifMatch == null || ifMatch.isBlank() ? null : EntityTags.parse(HttpHeaders.IF_MATCH, ifMatch);
        return authenticated.session(authorization, sessionId, session -> (condition == null
                ? CompletableFuture.completedFuture(OptionalLong.empty()) : expectedVersion(session, condition))
                .thenCompose(expected -> stateSurface.sessionState().mergePatch(session.tenant(), session.id(), patch,
                        expected))
                .thenApply(StateController::document));
    }

    private static HttpResponse<String> document(StateDocument document) {
        return HttpResponse.ok(document.json())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, etag(document));
    }

    /**
     * The version a conditional write names to the store. One strong tag goes to the store as it is (the
     * store answers 412 when it is stale); {@code *} or a list is compared with the current version
     * here, and the write then names that version, so a concurrent write still makes it 412.
     */
    private CompletableFuture<OptionalLong> expectedVersion(Session session, EntityTags condition) {
        long single = condition.singleStrongVersion();
        if (single >= 0) {
            return CompletableFuture.completedFuture(OptionalLong.of(single));
        }
        return stateSurface.sessionState().read(session.tenant(), session.id()).thenApply(current -> {
            if (!condition.strongMatch(current.version())) {
                throw new VersionConflictException("the state of session " + session.id().value()
                        + " (If-Match uses strong comparison: a weak tag never matches)",
                        condition.tags().isEmpty() ? -1 : condition.tags().getFirst().version(), current.version());
            }
            return OptionalLong.of(current.version());
        });
    }

    private static String etag(StateDocument document) {
        return "\"" + document.version() + "\"";
    }
}
