package dev.runtimeplane.service.api.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.micronaut.serde.exceptions.InvalidPropertyFormatException;
import io.micronaut.serde.exceptions.SerdeException;
import io.micronaut.web.router.exceptions.UnsatisfiedBodyRouteException;
import java.util.Optional;

/**
 * Finds, in a failed request body's exception chain, which field was wrong and why, so a 400 says
 * "ttlSeconds has the wrong type" instead of "failed to convert argument [request]". The detail is
 * written here in the client's terms: never a Java class name or a parser library's own message.
 */
final class JsonBodyErrors {

    private static final String DUPLICATE = "Duplicate field '";

    /** What went wrong with a body, and where. */
    record BodyError(String field, String detail) {
    }

    private JsonBodyErrors() {
    }

    static Optional<BodyError> describe(Throwable root) {
        for (Throwable cause = root; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConstraintsException) {
                return Optional.of(new BodyError(null,
                        "the JSON body exceeds a parser limit (nesting depth, number or string length)"));
            }
            if (cause instanceof JsonParseException malformed) {
                return Optional.of(malformed(malformed));
            }
        }
        for (Throwable cause = root; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidPropertyFormatException wrongType) {
                String field = wrongType.getArgument().getName();
                return Optional.of(new BodyError(field, field + " has the wrong type"));
            }
            if (cause instanceof SerdeException serde && !serde.getPathAsString().isBlank()) {
                String field = fieldName(serde.getPathAsString());
                return Optional.of(new BodyError(field, field + " has the wrong type or value"));
            }
        }
        for (Throwable cause = root; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnsatisfiedBodyRouteException) {
                return Optional.of(new BodyError(null, "the request needs a JSON body; the API document gives its members"));
            }
            if (cause instanceof SerdeException) { // no path: the body itself is not an object, as every body is
                return Optional.of(new BodyError(null, "the body must be a JSON object; the API document gives its members"));
            }
        }
        return Optional.empty();
    }

    private static BodyError malformed(JsonParseException malformed) {
        String message = malformed.getOriginalMessage() == null ? "" : malformed.getOriginalMessage();
        if (message.startsWith(DUPLICATE)) {
            int end = message.indexOf('\'', DUPLICATE.length());
            String member = message.substring(DUPLICATE.length(), end < 0 ? message.length() : end);
            String field = parentPath(malformed) + member;
            return new BodyError(field, "the JSON object has the member '" + field + "' more than once");
        }
        String where = malformed.getLocation() == null ? ""
                : " at line " + malformed.getLocation().getLineNr() + ", column " + malformed.getLocation().getColumnNr();
        String field = currentName(malformed);
        return new BodyError(field, "the body is not valid JSON" + where + (field == null ? "" : " (in '" + field + "')"));
    }

    /** The member being read when the parser failed, as a path ({@code payload.a}), or null at the top level. */
    private static String currentName(JsonParseException error) {
        if (error.getProcessor() == null || error.getProcessor().getParsingContext().getCurrentName() == null) {
            return null;
        }
        return parentPath(error) + error.getProcessor().getParsingContext().getCurrentName();
    }

    /** {@code payload.} for a member of the object under "payload"; empty at the top level. */
    private static String parentPath(JsonParseException error) {
        if (error.getProcessor() == null) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext context = error.getProcessor().getParsingContext().getParent(); context != null;
             context = context.getParent()) {
            if (context.inObject() && context.getCurrentName() != null) {
                path.insert(0, context.getCurrentName() + ".");
            } else if (context.inArray()) {
                path.insert(0, "[" + context.getCurrentIndex() + "].");
            }
        }
        return path.toString().replace(".[", "[");
    }

    /** {@code dev.x.SessionDtos$CreateSession["ttlSeconds"]} or {@code /ttlSeconds} to {@code ttlSeconds}. */
    private static String fieldName(String path) {
        int quote = path.lastIndexOf("[\"");
        if (quote >= 0 && path.endsWith("\"]")) {
            return path.substring(quote + 2, path.length() - 2);
        }
        int slash = path.lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }
}
