package dev.runtimeplane.service.api.problem;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of every error response (RFC 9457), for the OpenAPI document only: {@link Problems}
 * builds the bodies.
 */
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json)")
public record ProblemDocument(
        @Schema(description = "https://runtimeplane.dev/problems/<code>, stable per code") String type,
        @Schema(description = "short summary of the code") String title,
        @Schema(description = "the HTTP status") int status,
        @Schema(description = "what went wrong, for humans") String detail,
        @Nullable @Schema(description = "the offending request field or header, in the request's terms") String field,
        @Nullable @Schema(description = "the request path") String instance,
        @Schema(description = "the stable error code") String code) {
}
