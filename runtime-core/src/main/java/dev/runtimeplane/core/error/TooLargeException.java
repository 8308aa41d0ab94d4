package dev.runtimeplane.core.error;

/** A value is larger than its configured limit. */
public class TooLargeException extends RuntimePlaneException {

    private final long size;
    private final long limit;

    public TooLargeException(String field, long size, long limit) {
        super(ErrorCode.TOO_LARGE, field + " is " + size + " bytes; the limit is " + limit + " bytes", field, null);
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
