package dev.runtimeplane.service.api.problem;

import com.fasterxml.jackson.core.JsonParseException;
import io.micronaut.serde.exceptions.InvalidPropertyFormatException;
import io.micronaut.serde.exceptions.SerdeException;
import java.util.Optional;

/**
 * Finds, in a failed request body's exception chain, which field was wrong and why, so a 400 says
 * "ttlSeconds: not a number" instead of "failed to convert argument [request]".
 */
final class JsonBodyErrors {

    /** What went wrong with a body, and where. */
    record BodyError(String field, String detail) {
    }

    private JsonBodyErrors() {
    }

    static Optional<BodyError> describe(Throwable root) {
        for (Throwable cause = root; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidPropertyFormatException wrongType) {
                String field = wrongType.getArgument().getName();
                return Optional.of(new BodyError(field, field + " has the wrong type: " + rootMessage(wrongType)));
            }
            if (cause instanceof SerdeException serde && !serde.getPathAsString().isBlank()) {
                String field = serde.getPathAsString();
                return Optional.of(new BodyError(field, field + ": " + serde.getMessage().trim()));
            }
            if (cause instanceof JsonParseException malformed) {
                String field = malformed.getProcessor() == null ? null
                        : malformed.getProcessor().getParsingContext().getCurrentName();
                String where = "line " + malformed.getLocation().getLineNr() + ", column " + malformed.getLocation().getColumnNr();
                return Optional.of(new BodyError(field, "malformed JSON at " + where
                        + (field == null ? "" : " (in field '" + field + "')") + ": " + malformed.getOriginalMessage()));
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable error) {
        Throwable deepest = error;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        return deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage().trim();
    }
}
