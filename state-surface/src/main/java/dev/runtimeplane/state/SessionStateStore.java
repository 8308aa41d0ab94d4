package dev.runtimeplane.state;

import static dev.runtimeplane.state.RedisGateway.number;
import static dev.runtimeplane.state.RedisGateway.text;

import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.error.TooLargeException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.error.VersionConflictException;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import io.lettuce.core.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A session's state: one JSON document with a version that only grows. A new session starts with
 * {@code {}} at version 0. Writes are atomic scripts: {@link #write} replaces the document when the
 * caller's expected version is current, {@link #mergePatch} applies an RFC 7396 merge patch. A write
 * becomes visible only once it is durable in the journal (see {@link #staged}). The state has its
 * session's TTL and is removed when the session closes.
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
    private static final LuaScript COMMIT = LuaScript.load("state_commit");
    /** Waits for and takeovers of other writes' pending versions one write may go through before it gives up. */
    private static final int MAX_ATTEMPTS = 1000;

    private final RedisGateway redis;
    private final KeyLayout keys;
    private final int maxBytes;
    private final long pendingDeadlineMillis;
    private final SessionJournalWriter journal;
    private final StateSurfaceOptions options;

    SessionStateStore(RedisGateway redis, KeyLayout keys, StateSurfaceOptions options, SessionJournalWriter journal) {
        this.redis = redis;
        this.keys = keys;
        this.maxBytes = options.maxStateBytes();
        this.pendingDeadlineMillis = options.pendingStateDeadline().toMillis();
        this.journal = journal;
        this.options = options;
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
            return journal.write(session, () -> staged(tenant, session, pendingId -> redis.script("write session state",
                            WRITE, List.of(keys.sessionState(tenant, session)), number(expectedVersion), bytes,
                            text(pendingId), number(pendingDeadlineMillis))
                    .thenApply(reply -> switch (reply.status()) {
                        case OK -> Staged.of(new StateDocument(document, reply.longAt(1)));
                        case NOT_FOUND -> throw notFound(session);
                        case VERSION_CONFLICT -> throw conflict(session, expectedVersion, reply.longAt(1));
                        case STALLED -> Staged.stalled(reply);
                        default -> throw reply.unexpected(WRITE);
                    }), 0));
        });
    }

    /**
     * Applies an RFC 7396 JSON merge patch atomically and returns the merged document at its new
     * version. With an expected version, fails with a conflict unless it is current; without one,
     * patches whatever is current (waiting for a version another write is committing). The merged
     * document must stay within the size limit.
     */
    public CompletableFuture<StateDocument> mergePatch(TenantId tenant, SessionId session, String patchJson,
                                                       OptionalLong expectedVersion) {
        return Futures.guard(() -> {
            Objects.requireNonNull(expectedVersion, "expectedVersion");
            byte[] patch = limited(PATCH_FIELD, JsonSyntax.requireValid(PATCH_FIELD, patchJson));
            byte[] expected = expectedVersion.isPresent() ? number(expectedVersion.getAsLong()) : text("");
            return journal.write(session, () -> staged(tenant, session, pendingId -> redis.script("patch session state",
                            MERGE_PATCH, List.of(keys.sessionState(tenant, session)), expected, patch, number(maxBytes),
                            text(pendingId), number(pendingDeadlineMillis))
                    .thenApply(reply -> switch (reply.status()) {
                        case OK -> Staged.of(new StateDocument(reply.textAt(2), reply.longAt(1)));
                        case NOT_FOUND -> throw notFound(session);
                        case VERSION_CONFLICT -> throw conflict(session, expectedVersion.orElseThrow(), reply.longAt(1));
                        case TOO_LARGE -> throw new TooLargeException(FIELD, reply.longAt(1), maxBytes);
                        case PENDING -> Staged.WAIT;
                        case STALLED -> Staged.stalled(reply);
                        default -> throw reply.unexpected(MERGE_PATCH);
                    }), 0));
        });
    }

    /**
     * What staging a write gave: the document at its pending version, or another write's pending
     * version in the way (fresh: wait for it; stalled: take it over).
     */
    private record Staged(StateDocument document, String otherPendingId) {

        static final Staged WAIT = new Staged(null, null);

        static Staged of(StateDocument document) {
            return new Staged(document, null);
        }

        /** From a STALLED reply: {pending version, pending id, pending document}. */
        static Staged stalled(ScriptReply reply) {
            return new Staged(new StateDocument(reply.textAt(3), reply.longAt(1)), reply.textAt(2));
        }
    }

    private interface Stage {
        CompletableFuture<Staged> run(String pendingId);
    }

    /**
     * The state write protocol: stage the new version as pending in Redis (a compare-and-set on the
     * committed version; readers keep seeing the committed one), journal it, promote it to committed,
     * then acknowledge. So no reader and no client ever sees a version whose record is not durable, and
     * a version number is never issued twice: a pending version is never dropped, only promoted, by
     * its writer or, once stalled, by whoever meets it (after journaling it in its own journal).
     */
    private CompletableFuture<StateDocument> staged(TenantId tenant, SessionId session, Stage stage, int attempt) {
        journal.requireOpen();
        if (attempt > MAX_ATTEMPTS) {
            throw new UnavailableException("the state of session " + session + " stayed busy; retry", null);
        }
        String pendingId = journal.enabled() ? Ids.random() : "";
        return stage.run(pendingId).thenCompose(staged -> {
            if (staged == Staged.WAIT) {
                Executor later = CompletableFuture.delayedExecutor(Math.min(1L << Math.min(attempt, 6), 50),
                        TimeUnit.MILLISECONDS);
                return CompletableFuture.supplyAsync(() -> null, later)
                        .thenCompose(waited -> staged(tenant, session, stage, attempt + 1));
            }
            if (staged.otherPendingId() != null) {
                // Whatever the promotion answers (someone else may have settled it), it is no longer in the way.
                return journalAndPromote(tenant, session, staged.document(), staged.otherPendingId())
                        .thenCompose(settled -> staged(tenant, session, stage, attempt + 1));
            }
            return pendingId.isEmpty() ? CompletableFuture.completedFuture(staged.document())
                    : commit(tenant, session, staged.document(), pendingId);
        });
    }

    /** Journals a pending version, then promotes it; completes with it once it is committed. */
    private CompletableFuture<StateDocument> commit(TenantId tenant, SessionId session, StateDocument pending,
                                                    String pendingId) {
        return journalAndPromote(tenant, session, pending, pendingId).thenApply(status -> switch (status) {
            case OK -> pending;
            case CLOSED -> throw notFound(session);
            case NOT_FOUND, STALE -> throw new UnavailableException("the state of session " + session
                    + " changed in Redis before version " + pending.version() + " was committed (Redis lost"
                    + " its data or the session expired); the write's outcome is unknown: read the state", null);
            default -> throw new IllegalStateException(COMMIT + " answered with unexpected status " + status);
        });
    }

    private CompletableFuture<ScriptReply.Status> journalAndPromote(TenantId tenant, SessionId session,
                                                                    StateDocument pending, String pendingId) {
        return journal.state(tenant, session, pending)
                .thenCompose(durable -> redis.script("commit session state", COMMIT,
                        List.of(keys.sessionState(tenant, session), keys.sessionTombstone(tenant, session)),
                        text(pendingId)))
                .thenApply(ScriptReply::status);
    }

    /**
     * Restores a journaled document when Redis holds an older version of it (or none) and its session
     * exists. Completes with true when Redis changed.
     */
    /**
     * Restores a journaled state document where Redis holds an older version or none. When the session
     * is missing too, the document is written to last until {@code sessionExpiresAt} and waits for the
     * session's restore (replay restores states first, so a session never appears with an empty
     * document); never for a closed session.
     */
    CompletableFuture<Boolean> restore(SessionRecords.StateRecord record, Instant sessionExpiresAt) {
        long remaining = sessionExpiresAt.toEpochMilli() - options.clock().now().toEpochMilli();
        if (remaining <= 0) {
            return CompletableFuture.completedFuture(false);
        }
        StateDocument document = record.document();
        return redis.script("restore session state", RESTORE, List.of(keys.sessionHash(record.tenant(), record.session()),
                        keys.sessionState(record.tenant(), record.session()),
                        keys.sessionTombstone(record.tenant(), record.session())),
                        number(document.version()), document.json().getBytes(StandardCharsets.UTF_8), number(remaining))
                .thenApply(reply -> switch (reply.status()) {
                    case OK -> true;
                    case STALE, NOT_FOUND -> false;
                    default -> throw reply.unexpected(RESTORE);
                });
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
