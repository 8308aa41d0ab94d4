package dev.runtimeplane.core.error;

/** An optimistic write expected one version and found another. */
public class VersionConflictException extends RuntimePlaneException {

    private final long expectedVersion;
    private final long actualVersion;

    public VersionConflictException(String what, long expectedVersion, long actualVersion) {
        super(ErrorCode.VERSION_CONFLICT,
                what + " is at version " + actualVersion + ", not the expected " + expectedVersion, "version", null);
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
