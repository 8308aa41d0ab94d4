package dev.runtimeplane.service.api;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.RuntimePlaneException;
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
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session's state: one JSON document with a version. The version travels as a strong ETag
 * ({@code "7"}); writes name the version they replace in If-Match, so two clients never overwrite each
 * other unknowingly.
 */
@Controller("/v1/sessions/{sessionId}/state")
@Tag(name = "session state")
public class StateController {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";
    private static final Pattern ETAG = Pattern.compile("\\s*(?:W/)?\"(\\d{1,18})\"\\s*");

    private final StateSurface stateSurface;
    private final Authenticated authenticated;

    public StateController(StateSurface stateSurface, Authenticated authenticated) {
        this.stateSurface = stateSurface;
        this.authenticated = authenticated;
    }

    @Get
    @Operation(summary = "Read the state document", description = "The ETag header carries its version.")
    public CompletableFuture<HttpResponse<String>> read(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                        String sessionId) {
        return authenticated.session(authorization, sessionId,
                session -> stateSurface.sessionState().read(session.tenant(), session.id()).thenApply(StateController::document));
    }

    @Put
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the state document",
            description = "Requires If-Match with the current ETag: 428 without it, 412 when it is stale.")
    public CompletableFuture<HttpResponse<String>> write(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                         @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                                         String sessionId, @Body String document) {
        return authenticated.session(authorization, sessionId, session -> {
            long expected = version(ifMatch).orElseThrow(() -> new RuntimePlaneException(ErrorCode.PRECONDITION_REQUIRED,
                    "send If-Match with the ETag of the state you replace (GET it first)", HttpHeaders.IF_MATCH, null));
            return stateSurface.sessionState().write(session.tenant(), session.id(), document, expected)
                    .thenApply(StateController::document);
        });
    }

    @Patch
    @Consumes({MERGE_PATCH_JSON, MediaType.APPLICATION_JSON})
    @Operation(summary = "Merge-patch the state document (RFC 7396)",
            description = "If-Match is optional: with it the patch applies only to that version (412 otherwise).")
    public CompletableFuture<HttpResponse<String>> patch(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                         @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                                         String sessionId, @Body String patch) {
        return authenticated.session(authorization, sessionId,
                session -> stateSurface.sessionState().mergePatch(session.tenant(), session.id(), patch, version(ifMatch))
                        .thenApply(StateController::document));
    }

    private static HttpResponse<String> document(StateDocument document) {
        return HttpResponse.ok(document.json())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, "\"" + document.version() + "\"");
    }

    private static OptionalLong version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return OptionalLong.empty();
        }
        Matcher matcher = ETAG.matcher(ifMatch);
        if (!matcher.matches()) {
            throw new InvalidArgumentException(HttpHeaders.IF_MATCH,
                    "If-Match must be an ETag this API returned, such as \"3\"; was " + ifMatch);
        }
        return OptionalLong.of(Long.parseLong(matcher.group(1)));
    }
}
