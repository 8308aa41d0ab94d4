package dev.runtimeplane.core.error;

/**
 * Stable, machine-readable error codes. The service maps each to an RFC 9457 problem {@code type}
 * ({@code .../problems/<code>}); renaming a code is a breaking change for clients.
 */
public enum ErrorCode {
    /** A field of the request is malformed or out of range. */
    INVALID_ARGUMENT("invalid-argument"),
    /** The resource does not exist, or the caller may not know that it exists. */
    NOT_FOUND("not-found"),
    /** The HTTP method is not one the resource supports (the response's Allow header lists those). */
    METHOD_NOT_ALLOWED("method-not-allowed"),
    /** An Idempotency-Key was reused for a different request (method, path or body). */
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused"),
    /** The request line (method and URI) is longer than the server accepts. */
    URI_TOO_LONG("uri-too-long"),
    /** The request's header fields are larger than the server accepts. */
    HEADERS_TOO_LARGE("headers-too-large"),
    /** The request conflicts with the current state (for example an id already taken). */
    CONFLICT("conflict"),
    /** An optimistic write named a version that is no longer current. */
    VERSION_CONFLICT("version-conflict"),
    /** A conditional write was sent without its condition (for example no If-Match). */
    PRECONDITION_REQUIRED("precondition-required"),
    /** A document, record or body is larger than the configured limit. */
    TOO_LARGE("too-large"),
    /** A type name (intent type, saga definition) that nothing is registered under. */
    UNKNOWN_TYPE("unknown-type"),
    /** A dependency is unreachable or the process is draining; retrying later can succeed. */
    UNAVAILABLE("unavailable"),
    /** A bounded queue or limit is full; the work was refused at once and retrying later can succeed. */
    OVERLOADED("overloaded"),
    /** The calling tenant reached one of its own limits (rate, sessions, executions); retrying later can succeed. */
    TENANT_LIMIT("tenant-limit"),
    /** A write carried a fencing token older than the current lease holder's. */
    FENCED("fenced"),
    /** The write-ahead log could not make a record durable; the writer has stopped. */
    DURABILITY_FAILURE("durability-failure"),
    /** Stored data failed its checksum or structure checks. */
    CORRUPTION("corruption"),
    /** A bug or an unexpected failure; details are in the server log, never in the response. */
    INTERNAL("internal");

    private final String id;

    ErrorCode(String id) {
        this.id = id;
    }

    /** The stable kebab-case id used in problem types and logs. */
    public String id() {
        return id;
    }
}
