package dev.runtimeplane.core.id;

/** The id of a execution. Validated on construction; see {@link Ids} for the allowed form. */
public record ExecutionId(String value) {

    public ExecutionId {
        Ids.requireValid("executionId", value);
    }

    public static ExecutionId of(String value) {
        return new ExecutionId(value);
    }

    /** A new, unguessable id (128 bits from a CSPRNG). */
    public static ExecutionId generate() {
        return new ExecutionId(Ids.random());
    }

    @Override
    public String toString() {
        return value;
    }
}
