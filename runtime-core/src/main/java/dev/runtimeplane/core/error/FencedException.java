package dev.runtimeplane.core.error;

/** A write carried a fencing token that a newer lease holder has superseded. */
public class FencedException extends RuntimePlaneException {

    private final long staleToken;

    public FencedException(String what, long staleToken) {
        super(ErrorCode.FENCED, what + ": fencing token " + staleToken + " is stale; another owner holds the lease");
        this.staleToken = staleToken;
    }

    public long staleToken() {
        return staleToken;
    }
}
