package dev.runtimeplane.state;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import java.util.regex.Pattern;

/**
 * The one key layout of the state surface (documented in {@code state-surface/README.md}).
 *
 * <p>Every key starts {@code <prefix>:t:<tenant>:}, so no two tenants share a key. The first
 * {@code {...}} of a key is its Redis Cluster hash tag: {@code {s:<session>}} for a session and what
 * lives with it, {@code {x:<execution>}} for an execution, {@code {t:<tenant>}} for a tenant's session
 * index. Every script touches keys of one tag only, so each runs on one cluster slot. Prefix, tenant,
 * session and execution ids cannot contain {@code :}, braces or spaces (ids are validated by their
 * runtime-core types, the prefix here), so no input can move a key into another tenant or slot.
 */
final class KeyLayout {

    /** Idempotency keys come from clients (an HTTP header): printable ASCII, bounded. */
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    /** Lease owners name a replica: printable ASCII, bounded. */
    static final int MAX_OWNER_LENGTH = 128;

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x21-\\x7E]+");

    private final String prefix;

    KeyLayout(String prefix) {
        this.prefix = requireValidPrefix(prefix);
    }

    static String requireValidPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new InvalidArgumentException("keyPrefix",
                    "keyPrefix must be 1 to 32 characters from [A-Za-z0-9_.-], starting with a letter or digit");
        }
        return prefix;
    }

    static String requireValidIdempotencyKey(String key) {
        return requirePrintable("idempotencyKey", key, MAX_IDEMPOTENCY_KEY_LENGTH);
    }

    static String requireValidOwner(String owner) {
        return requirePrintable("owner", owner, MAX_OWNER_LENGTH);
    }

    String sessionHash(TenantId tenant, SessionId session) {
        return sessionKey(tenant, session, "meta");
    }

    String sessionState(TenantId tenant, SessionId session) {
        return sessionKey(tenant, session, "state");
    }

    /** Left by a close for the rest of the session's TTL, so no journal replay brings the session back. */
    String sessionTombstone(TenantId tenant, SessionId session) {
        return sessionKey(tenant, session, "closed");
    }

    /** The key is validated here; it comes last, after the hash tag, so it cannot change the slot. */
    String idempotencyKey(TenantId tenant, SessionId session, String key) {
        return sessionKey(tenant, session, "idem:" + requireValidIdempotencyKey(key));
    }

    /** A session-create Idempotency-Key's binding; the key comes last, after the tenant's hash tag. */
    String sessionCreateKey(TenantId tenant, String key) {
        return tenantKey(tenant) + "{t:" + tenant.value() + "}:create:" + requireValidIdempotencyKey(key);
    }

    String tenantSessions(TenantId tenant) {
        return tenantKey(tenant) + "{t:" + tenant.value() + "}:sessions";
    }

    String tenantSessionExpiry(TenantId tenant) {
        return tenantKey(tenant) + "{t:" + tenant.value() + "}:expiry";
    }

    /**
     * An execution is this one hash: its snapshot, its lease and fencing counter, its events (see
     * {@code execution_write.lua}). Layout 1 kept them in four keys ({@code rec}, {@code events},
     * {@code lease}, {@code fence}); the new name keeps a Redis written by layout 1 from being misread.
     */
    String executionRecord(ExecutionKey execution) {
        return executionKey(execution, "exec");
    }

    /**
     * The one index of non-terminal executions across tenants (for adopting a dead replica's work).
     * Only single-key commands touch it, so it needs no hash tag.
     */
    String activeExecutions() {
        return prefix + ":active";
    }

    /**
     * The admin index of every execution ({@link ExecutionIndex}): all its keys share the hash tag
     * {@code {ix}}, so one script maintains them and one script reads a page. The scripts name the
     * per-state, tenant, type and session sets of older and expired entries from this prefix the same
     * way as the methods below.
     */
    String indexPrefix() {
        return prefix + ":{ix}:";
    }

    /** Summary (JSON) of every indexed execution, by member {@code <tenant>:<execution>}. */
    String indexEntries() {
        return indexPrefix() + "entries";
    }

    String indexAll() {
        return indexPrefix() + "all";
    }

    /** Terminal executions' members, scored by when their record expires. */
    String indexExpiry() {
        return indexPrefix() + "expiry";
    }

    String indexByState(String state) {
        return indexPrefix() + "state:" + state;
    }

    String indexByTenant(TenantId tenant) {
        return indexPrefix() + "tenant:" + tenant.value();
    }

    String indexByType(String type) {
        return indexPrefix() + "type:" + type;
    }

    String indexBySession(TenantId tenant, SessionId session) {
        return indexPrefix() + "session:" + tenant.value() + ":" + session.value();
    }

    /** Cancels handed to a replica by others (field {@code <tenant>:<execution>}); single-key commands only. */
    String cancelRequests(String replicaId) {
        return prefix + ":cancels:" + requireValidOwner(replicaId);
    }

    /** Which process instance holds a replica id (leases are granted to replica ids); single-key, no tag. */
    String replica(String replicaId) {
        return prefix + ":replica:" + requireValidOwner(replicaId);
    }

    /** The marker whose disappearance tells that Redis lost its data ({@link DataLossWatch}); single-key commands only. */
    String epoch() {
        return prefix + ":epoch";
    }

    /** Registered intent definitions, field {@code <type>@<version>} -> source text ({@link IntentTypeStore}); single-key. */
    String intentTypes() {
        return prefix + ":intent-types";
    }

    /** Tenant API keys, field the key's SHA-256 (hex) -> its record ({@link ApiKeyStore}); single-key. */
    String apiKeys() {
        return prefix + ":api-keys";
    }

    /** The stream of closes every replica's session journal reads ({@link CloseFeed}); single-key commands only. */
    String closeFeed() {
        return prefix + ":closes";
    }

    private String tenantKey(TenantId tenant) {
        return prefix + ":t:" + tenant.value() + ":";
    }

    private String sessionKey(TenantId tenant, SessionId session, String suffix) {
        return tenantKey(tenant) + "{s:" + session.value() + "}:" + suffix;
    }

    private String executionKey(ExecutionKey execution, String suffix) {
        return tenantKey(execution.tenant()) + "{x:" + execution.execution().value() + "}:" + suffix;
    }

    private static String requirePrintable(String field, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException(field, field + " is required");
        }
        if (value.length() > maxLength) {
            throw new InvalidArgumentException(field,
                    field + " is " + value.length() + " characters long; at most " + maxLength + " are allowed");
        }
        if (!PRINTABLE_ASCII.matcher(value).matches()) {
            throw new InvalidArgumentException(field, field + " may contain only printable ASCII without spaces");
        }
        return value;
    }
}
