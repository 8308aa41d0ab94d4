package dev.runtimeplane.state;

import static dev.runtimeplane.state.RedisGateway.number;
import static dev.runtimeplane.state.RedisGateway.text;

import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.error.TooLargeException;
import dev.runtimeplane.core.error.VersionConflictException;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import io.lettuce.core.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A session's state: one JSON document with a version that only grows. A new session starts with
 * {@code {}} at version 0. Writes are atomic scripts: {@link #write} replaces the document when the
 * caller's expected version is current, {@link #mergePatch} applies an RFC 7396 merge patch. The
 * state has its session's TTL and is removed when the session closes.
 *
 * <p>Every method is asynchronous and never throws: failures complete the future with a typed error
 * ({@code NotFoundException} when the session does not exist, {@code VersionConflictException},
 * {@code TooLargeException}, {@code InvalidArgumentException} for a document that is not JSON,
 * {@code UnavailableException}).
 */
public final class SessionStateStore {

    private static final String FIELD = "state";
    private static final String PATCH_FIELD = "patch";
    private static final LuaScript WRITE = LuaScript.load("state_write");
    private static final LuaScript MERGE_PATCH = LuaScript.load("state_merge_patch");
    private static final LuaScript RESTORE = LuaScript.load("state_restore");

    private final RedisGateway redis;
    private final KeyLayout keys;
    private final int maxBytes;
    private final SessionJournalWriter journal;

    SessionStateStore(RedisGateway redis, KeyLayout keys, StateSurfaceOptions options, SessionJournalWriter journal) {
        this.redis = redis;
        this.keys = keys;
        this.maxBytes = options.maxStateBytes();
        this.journal = journal;
    }

    /** The document and its version. */
    public CompletableFuture<StateDocument> read(TenantId tenant, SessionId session) {
        return Futures.guard(() -> {
            String key = keys.sessionState(tenant, session);
            return redis.call("read session state", commands -> commands.hmget(key, "v", "doc"))
                    .thenApply(fields -> document(session, fields));
        });
    }

    /**
     * Replaces the document if its version is {@code expectedVersion}; returns the document at its
     * new version ({@code expectedVersion + 1}).
     */
    public CompletableFuture<StateDocument> write(TenantId tenant, SessionId session, String json, long expectedVersion) {
        return Futures.guard(() -> {
            String document = JsonSyntax.requireValid(FIELD, json);
            byte[] bytes = limited(FIELD, document);
            journal.requireOpen();
            return redis.script("write session state", WRITE, List.of(keys.sessionState(tenant, session)),
                            number(expectedVersion), bytes)
                    .thenApply(reply -> switch (reply.status()) {
                        case OK -> new StateDocument(document, reply.longAt(1));
                        case NOT_FOUND -> throw notFound(session);
                        case VERSION_CONFLICT -> throw conflict(session, expectedVersion, reply.longAt(1));
                        default -> throw reply.unexpected(WRITE);
                    })
                    .thenCompose(written -> journaled(tenant, session, written));
        });
    }

    /**
     * Applies an RFC 7396 JSON merge patch atomically and returns the merged document at its new
     * version. With an expected version, fails with a conflict unless it is current; without one,
     * patches whatever is current. The merged document must stay within the size limit.
     */
    public CompletableFuture<StateDocument> mergePatch(TenantId tenant, SessionId session, String patchJson,
                                                       OptionalLong expectedVersion) {
        return Futures.guard(() -> {
            Objects.requireNonNull(expectedVersion, "expectedVersion");
            byte[] patch = limited(PATCH_FIELD, JsonSyntax.requireValid(PATCH_FIELD, patchJson));
            byte[] expected = expectedVersion.isPresent() ? number(expectedVersion.getAsLong()) : text("");
            journal.requireOpen();
            return redis.script("patch session state", MERGE_PATCH, List.of(keys.sessionState(tenant, session)),
                            expected, patch, number(maxBytes))
                    .thenApply(reply -> switch (reply.status()) {
                        case OK -> new StateDocument(reply.textAt(2), reply.longAt(1));
                        case NOT_FOUND -> throw notFound(session);
                        case VERSION_CONFLICT -> throw conflict(session, expectedVersion.orElseThrow(), reply.longAt(1));
                        case TOO_LARGE -> throw new TooLargeException(FIELD, reply.longAt(1), maxBytes);
                        default -> throw reply.unexpected(MERGE_PATCH);
                    })
                    .thenCompose(merged -> journaled(tenant, session, merged));
        });
    }

    /**
     * Restores a journaled document when Redis holds an older version of it (or none) and its session
     * exists. Completes with true when Redis changed.
     */
    CompletableFuture<Boolean> restore(SessionRecords.StateRecord record) {
        StateDocument document = record.document();
        return redis.script("restore session state", RESTORE, List.of(keys.sessionHash(record.tenant(), record.session()),
                        keys.sessionState(record.tenant(), record.session())),
                        number(document.version()), document.json().getBytes(StandardCharsets.UTF_8))
                .thenApply(reply -> switch (reply.status()) {
                    case OK -> true;
                    case STALE, NOT_FOUND -> false;
                    default -> throw reply.unexpected(RESTORE);
                });
    }

    /**
     * Redis decides the new version (a compare-and-set), so the document is journaled after Redis
     * answers: the journal holds only writes that won, each with its version, and the caller hears
     * of the write once its record is durable.
     */
    private CompletableFuture<StateDocument> journaled(TenantId tenant, SessionId session, StateDocument document) {
        return journal.state(tenant, session, document).thenApply(durable -> document);
    }

    private byte[] limited(String field, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw new TooLargeException(field, bytes.length, maxBytes);
        }
        return bytes;
    }

    private static StateDocument document(SessionId session, List<KeyValue<String, byte[]>> fields) {
        KeyValue<String, byte[]> version = fields.get(0);
        KeyValue<String, byte[]> document = fields.get(1);
        if (!version.hasValue() || !document.hasValue()) {
            throw notFound(session);
        }
        return new StateDocument(new String(document.getValue(), StandardCharsets.UTF_8),
                Long.parseLong(new String(version.getValue(), StandardCharsets.US_ASCII)));
    }

    private static NotFoundException notFound(SessionId session) {
        return new NotFoundException("session " + session + " does not exist or has expired");
    }

    private static VersionConflictException conflict(SessionId session, long expected, long actual) {
        return new VersionConflictException("the state of session " + session, expected, actual);
    }
}
