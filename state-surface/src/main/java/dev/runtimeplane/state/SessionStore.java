package dev.runtimeplane.state;

import static dev.runtimeplane.state.RedisGateway.number;
import static dev.runtimeplane.state.RedisGateway.text;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.TenantLimitException;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions on Redis: create, get, touch (sliding TTL), close, list a tenant's sessions, and resolve
 * a bearer token. A session's hash and its state document share one hash tag
 * and one TTL, so they live and die together. A tenant's sessions are also listed in a tenant index
 * (two sorted sets under the tenant's hash tag), which {@link #list} pages through: no SCAN.
 *
 * <p>Every method is asynchronous and never throws: failures, invalid arguments included, complete
 * the future with a typed error ({@code NotFoundException}, {@code InvalidArgumentException},
 * {@code UnavailableException}).
 */
public final class SessionStore {

    public static final int MAX_USER_LENGTH = 256;
    public static final int MAX_METADATA_ENTRIES = 32;
    public static final int MAX_METADATA_KEY_LENGTH = 64;
    public static final int MAX_METADATA_VALUE_LENGTH = 1024;
    public static final int MAX_PAGE_SIZE = 500;
    /** How many expired index entries one create, touch or list removes at most. */
    private static final int PRUNE_BATCH = 100;
    private static final Pattern CURSOR = Pattern.compile("[0-9]{15}:[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private static final LuaScript CREATE = LuaScript.load("session_create");
    private static final LuaScript TOUCH = LuaScript.load("session_touch");
    private static final LuaScript CLOSE = LuaScript.load("session_close");
    private static final LuaScript INDEX_UPSERT = LuaScript.load("tenant_index_upsert");
    private static final LuaScript INDEX_ADMIT = LuaScript.load("tenant_index_admit");
    private static final LuaScript CREATE_CLAIM = LuaScript.load("session_create_claim");
    private static final String IDEMPOTENCY_KEY_FIELD = "Idempotency-Key";
    /** When a tenant at its session limit may try again: sessions close or expire at any time. */
    private static final Duration LIMIT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final LuaScript INDEX_REMOVE = LuaScript.load("tenant_index_remove");
    private static final LuaScript INDEX_PAGE = LuaScript.load("tenant_index_page");
    private static final LuaScript RESTORE = LuaScript.load("session_restore");
    private static final LuaScript SNAPSHOT = LuaScript.load("session_snapshot");
    private static final LuaScript CLOSE_RESTORE = LuaScript.load("session_close_restore");
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);

    private final RedisGateway redis;
    private final KeyLayout keys;
    private final StateSurfaceOptions options;
    private final SessionJournalWriter journal;
    private final CloseFeed closeFeed;

    SessionStore(RedisGateway redis, KeyLayout keys, StateSurfaceOptions options, SessionJournalWriter journal,
                 CloseFeed closeFeed) {
        this.redis = redis;
        this.keys = keys;
        this.options = options;
        this.journal = journal;
        this.closeFeed = closeFeed;
    }

    /** Creates a session with the default TTL. */
    public CompletableFuture<CreatedSession> create(TenantId tenant, String user, Map<String, String> metadata) {
        return create(tenant, user, metadata, options.defaultSessionTtl());
    }

    /**
     * Creates a session that expires {@code ttl} after its last touch, and returns it with its
     * bearer token (256 random bits; only its hash is stored).
     */
    public CompletableFuture<CreatedSession> create(TenantId tenant, String user, Map<String, String> metadata,
                                                    Duration ttl) {
        return Futures.guard(() -> createValidated(tenant, user, metadata, ttl));
    }

    private CompletableFuture<CreatedSession> createValidated(TenantId tenant, String user, Map<String, String> metadata,
                                                              Duration ttl) {
        requireValidCreate(tenant, user, metadata, ttl);
        Duration storedTtl = Duration.ofMillis(ttl.toMillis()); // Redis keeps milliseconds
        Instant now = now();
        Session session = new Session(tenant, SessionId.generate(), user, metadata, now, now.plus(storedTtl), storedTtl);
        String token = SessionTokens.issue(tenant, session.id());
        return journal.write(session.id(), () -> createAdmitted(session, token, storedTtl));
    }

    /**
     * Creates a session under a client's Idempotency-Key (scoped to the tenant): the first call binds the key
     * to the session it makes; a retry with the same request returns that session and the same bearer token
     * (derived from the binding, see {@link SessionCreateBinding}), completing the create if the first call
     * stopped half-way; a different request under the key fails with {@code IDEMPOTENCY_KEY_REUSED}. The key
     * is remembered for the session's TTL from its creation. A key whose session was closed, has expired, or
     * was made with another token secret fails with {@code CONFLICT}.
     */
    public CompletableFuture<CreatedSession> create(TenantId tenant, String user, Map<String, String> metadata,
                                                    Duration ttl, String idempotencyKey) {
        return Futures.guard(() -> {
            requireValidCreate(tenant, user, metadata, ttl);
            Duration storedTtl = Duration.ofMillis(ttl.toMillis());
            String fingerprint = SessionCreateBinding.fingerprint(user, metadata, storedTtl);
            SessionCreateBinding fresh = SessionCreateBinding.fresh(fingerprint, now(), storedTtl);
            List<byte[]> args = new ArrayList<>();
            args.add(number(storedTtl.toMillis()));
            args.addAll(fresh.fields());
            return redis.script("bind session create key", CREATE_CLAIM,
                            List.of(keys.sessionCreateKey(tenant, idempotencyKey)), args.toArray(byte[][]::new))
                    .thenCompose(reply -> switch (reply.status()) {
                        case OK -> createBound(tenant, user, metadata, fresh);
                        case EXISTS -> repeat(tenant, user, metadata, idempotencyKey, fingerprint,
                                SessionCreateBinding.of(reply.hashAt(1)));
                        default -> throw reply.unexpected(CREATE_CLAIM);
                    });
        });
    }

    /** A create whose key was bound before: the same session again, or why not. */
    private CompletableFuture<CreatedSession> repeat(TenantId tenant, String user, Map<String, String> metadata,
                                                     String idempotencyKey, String fingerprint,
                                                     SessionCreateBinding binding) {
        if (!binding.fingerprint().equals(fingerprint)) {
            throw new RuntimePlaneException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + idempotencyKey
                    + "' was already used to open another session (different user, metadata or ttl); "
                    + "send a new key for a new session", IDEMPOTENCY_KEY_FIELD, null);
        }
        SessionId id = binding.session();
        String token = binding.token(tenant, options.sessionTokenSecret());
        return redis.call("get session", commands -> commands.hgetall(keys.sessionHash(tenant, id)))
                .thenCompose(hash -> {
                    if (!hash.isEmpty()) {
                        return CompletableFuture.completedFuture(sameSession(tenant, id, hash, token));
                    }
                    return redis.call("read session tombstone", commands -> commands.exists(keys.sessionTombstone(tenant, id)))
                            .thenCompose(closed -> {
                                if (closed > 0 || !binding.createdAt().plus(binding.ttl()).isAfter(now())) {
                                    throw new RuntimePlaneException(ErrorCode.CONFLICT, "the session opened with "
                                            + "Idempotency-Key '" + idempotencyKey + "' has been closed or has expired; "
                                            + "send a new key for a new session", IDEMPOTENCY_KEY_FIELD, null);
                                }
                                // The first attempt stopped before the session existed: finish it, as it would have.
                                return createBound(tenant, user, metadata, binding);
                            });
                });
    }

    private CompletableFuture<CreatedSession> createBound(TenantId tenant, String user, Map<String, String> metadata,
                                                          SessionCreateBinding binding) {
        Session session = new Session(tenant, binding.session(), user, metadata, binding.createdAt(),
                binding.createdAt().plus(binding.ttl()), binding.ttl());
        String token = binding.token(tenant, options.sessionTokenSecret());
        Duration left = Duration.between(now(), session.expiresAt());
        Duration expireIn = left.toMillis() < 1 ? Duration.ofMillis(1) : left;
        return journal.write(session.id(), () -> createAdmitted(session, token, expireIn));
    }

    private CompletableFuture<CreatedSession> createAdmitted(Session session, String token, Duration expireIn) {
        TenantId tenant = session.tenant();
        byte[] tokenHash = SessionTokens.hash(token);
        List<byte[]> args = new ArrayList<>();
        args.add(number(expireIn.toMillis()));
        args.addAll(SessionHash.fields(session, tokenHash));
        // The index entry first: it is where the tenant's open sessions are counted against its limit,
        // and an entry whose session is missing is skipped and pruned by list, while a session missing
        // from the index would be invisible to list. Then the journal (the session is acknowledged only
        // once its record is durable), then the session itself.
        return indexAdmit(session)
                .thenCompose(admitted -> journal.session(session, tokenHash)
                        .whenComplete((journaled, failure) -> {
                            if (failure != null) { // nothing was created: the entry must not count against the limit
                                indexRemove(tenant, List.of(SessionHash.indexMember(session)));
                            }
                        }))
                .thenCompose(journaled -> redis.script("create session", CREATE, sessionKeys(tenant, session.id()),
                        args.toArray(byte[][]::new)))
                .thenCompose(reply -> switch (reply.status()) {
                    case OK -> CompletableFuture.completedFuture(new CreatedSession(session, token));
                    // A concurrent retry under the same key made it first; any other holder of the id is a defect.
                    case EXISTS -> redis.call("get session", commands -> commands.hgetall(keys.sessionHash(tenant, session.id())))
                            .thenApply(hash -> sameSession(tenant, session.id(), hash, token));
                    default -> throw reply.unexpected(CREATE);
                });
    }

    /** The stored session if {@code token} is its token; a conflict otherwise. */
    private static CreatedSession sameSession(TenantId tenant, SessionId id, Map<String, byte[]> hash, String token) {
        if (hash.isEmpty() || !SessionTokens.matches(token, hash.get(SessionHash.TOKEN))) {
            throw new RuntimePlaneException(ErrorCode.CONFLICT, "session " + id + " exists, but its token cannot be "
                    + "given again (the replicas do not share one session token secret); send a new key for a new session",
                    IDEMPOTENCY_KEY_FIELD, null);
        }
        return new CreatedSession(SessionHash.session(tenant, id, hash), token);
    }

    private void requireValidCreate(TenantId tenant, String user, Map<String, String> metadata, Duration ttl) {
        Objects.requireNonNull(tenant, "tenant");
        requireValidUser(user);
        requireValidMetadata(metadata);
        requireValidTtl(ttl);
    }

    /** The session; fails with {@code NotFoundException} when it does not exist or has expired. */
    public CompletableFuture<Session> get(TenantId tenant, SessionId id) {
        return Futures.guard(() -> find(tenant, id).thenApply(session -> session.orElseThrow(() -> notFound(id))));
    }

    /**
     * Extends the session and its state to one TTL from now; returns the session.
     * The new expiry is journaled before Redis applies it (extending an expiry twice is harmless), so
     * no replica sees an expiry that is not durable.
     */
    public CompletableFuture<Session> touch(TenantId tenant, SessionId id) {
        return Futures.guard(() -> journal.write(id, () -> redis.call("get session", commands -> commands.hgetall(
                keys.sessionHash(tenant, id))).thenCompose(hash -> {
                    if (hash.isEmpty()) {
                        throw notFound(id);
                    }
                    Session current = SessionHash.session(tenant, id, hash);
                    Session touched = new Session(tenant, id, current.user(), current.metadata(), current.createdAt(),
                            now().plus(current.ttl()), current.ttl());
                    return journal.session(touched, hash.get(SessionHash.TOKEN))
                            .thenCompose(journaled -> redis.script("touch session", TOUCH, sessionKeys(tenant, id),
                                    number(touched.expiresAt().toEpochMilli())))
                            .thenApply(reply -> switch (reply.status()) {
                                case OK -> SessionHash.session(tenant, id, reply.hashAt(1));
                                case NOT_FOUND -> throw notFound(id);
                                default -> throw reply.unexpected(TOUCH);
                            });
                })
                .thenCompose(session -> indexUpsert(session).thenApply(pruned -> session))));
    }

    /**
     * Removes the session, its state and its tenant index entry, and leaves a
     * tombstone in Redis for the rest of its TTL. The close is journaled first; once applied, it is
     * published to the other replicas' session journals ({@link CloseFeed}).
     */
    public CompletableFuture<Void> close(TenantId tenant, SessionId id) {
        return Futures.guard(() -> journal.write(null, () -> find(tenant, id).thenCompose(found -> {
            Session session = found.orElseThrow(() -> notFound(id));
            return journal.closed(tenant, id, session.expiresAt())
                    .thenCompose(journaled -> redis.script("close session", CLOSE, withTombstone(tenant, id)))
                    .thenCompose(reply -> switch (reply.status()) {
                        case OK -> indexRemove(tenant, List.of(reply.textAt(1))).thenCompose(removed ->
                                publishClose(tenant, id, latest(session.expiresAt(), now().plusMillis(reply.longAt(2)))));
                        case NOT_FOUND -> throw notFound(id);
                        default -> throw reply.unexpected(CLOSE);
                    });
        })));
    }

    /**
     * A close that reaches no other replica is still durable here and applied in Redis; only a later
     * Redis loss together with another replica's replay could bring the session back, so a failure to
     * publish does not fail the close.
     */
    private CompletableFuture<Void> publishClose(TenantId tenant, SessionId id, Instant until) {
        return closeFeed.publish(tenant, id, until).handle((entry, error) -> {
            if (error != null) {
                LOG.warn("session {} is closed, but the close could not be published to the other replicas: {}",
                        id, Failures.describe(error));
            }
            return null;
        });
    }

    /**
     * Journal replay of a close: removes the session from Redis if it is there and leaves its tombstone
     * until {@code until}. Completes with true when Redis changed.
     */
    CompletableFuture<Boolean> restoreClose(TenantId tenant, SessionId id, Instant until) {
        long remaining = until.toEpochMilli() - now().toEpochMilli();
        if (remaining <= 0) {
            return CompletableFuture.completedFuture(false);
        }
        return redis.script("restore session close", CLOSE_RESTORE, withTombstone(tenant, id), number(remaining))
                .thenApply(reply -> switch (reply.status()) {
                    case OK -> true;
                    case STALE -> false;
                    default -> throw reply.unexpected(CLOSE_RESTORE);
                });
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** What restoring a journaled session did. */
    enum Restored { CHANGED, UNCHANGED, CLOSED }

    /**
     * Restores a journaled session where Redis lacks it or holds an older expiry; never one that was
     * closed (tombstone) or has expired.
     */
    CompletableFuture<Restored> restore(SessionRecords.SessionRecord record) {
        Session session = record.session();
        long remaining = session.expiresAt().toEpochMilli() - now().toEpochMilli();
        if (remaining <= 0) {
            return CompletableFuture.completedFuture(Restored.UNCHANGED);
        }
        List<byte[]> args = new ArrayList<>();
        args.add(number(session.expiresAt().toEpochMilli()));
        args.add(number(remaining));
        args.addAll(SessionHash.fields(session, record.tokenHash()));
        return redis.script("restore session", RESTORE, withTombstone(session.tenant(), session.id()),
                        args.toArray(byte[][]::new))
                .thenCompose(reply -> switch (reply.status()) {
                    case OK -> indexUpsert(session).thenApply(pruned -> Restored.CHANGED);
                    case STALE -> CompletableFuture.completedFuture(Restored.UNCHANGED);
                    case CLOSED -> CompletableFuture.completedFuture(Restored.CLOSED);
                    default -> throw reply.unexpected(RESTORE);
                });
    }

    /** The session and its state as Redis holds them now, to journal them again. */
    CompletableFuture<SessionSnapshot> snapshot(TenantId tenant, SessionId id) {
        return redis.script("read session snapshot", SNAPSHOT, List.of(keys.sessionHash(tenant, id),
                        keys.sessionState(tenant, id), keys.sessionTombstone(tenant, id)))
                .thenApply(reply -> switch (reply.status()) {
                    case OK -> {
                        Map<String, byte[]> hash = reply.hashAt(1);
                        yield SessionSnapshot.present(SessionHash.session(tenant, id, hash),
                                hash.get(SessionHash.TOKEN), new StateDocument(reply.textAt(3), reply.longAt(2)));
                    }
                    case NOT_FOUND -> SessionSnapshot.MISSING;
                    case CLOSED -> SessionSnapshot.CLOSED;
                    default -> throw reply.unexpected(SNAPSHOT);
                });
    }

    /**
     * A page of the tenant's live sessions, oldest first. Pass the previous page's
     * {@link SessionPage#nextCursor()} (or null for the first page).
     */
    public CompletableFuture<SessionPage> list(TenantId tenant, String cursor, int limit) {
        return Futures.guard(() -> listValidated(tenant, cursor, limit));
    }

    private CompletableFuture<SessionPage> listValidated(TenantId tenant, String cursor, int limit) {
        Objects.requireNonNull(tenant, "tenant");
        String from = cursor == null ? "" : cursor;
        if (!from.isEmpty() && !CURSOR.matcher(from).matches()) {
            throw new InvalidArgumentException("cursor", "cursor is not one that list returned");
        }
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new InvalidArgumentException("limit", "limit must be 1 to " + MAX_PAGE_SIZE + ", was " + limit);
        }
        return redis.script("list sessions", INDEX_PAGE, indexKeys(tenant),
                        number(now().toEpochMilli()), number(PRUNE_BATCH), text(from), number(limit))
                .thenCompose(reply -> page(tenant, reply.textsAt(1), limit));
    }

    /**
     * The session a bearer token belongs to; empty when the token is malformed, unknown, expired or
     * wrong (the cases are not told apart). The stored hash is compared in constant time.
     */
    public CompletableFuture<Optional<Session>> resolveToken(String token) {
        Optional<SessionTokens.Claim> claim = SessionTokens.parse(token);
        if (claim.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        TenantId tenant = claim.get().tenant();
        SessionId id = claim.get().session();
        String key = keys.sessionHash(tenant, id);
        return redis.call("resolve session token", commands -> commands.hgetall(key))
                .thenApply(hash -> hash.isEmpty() || !SessionTokens.matches(token, hash.get(SessionHash.TOKEN))
                        ? Optional.<Session>empty()
                        : Optional.of(SessionHash.session(tenant, id, hash)));
    }

    private CompletableFuture<SessionPage> page(TenantId tenant, List<String> members, int limit) {
        List<CompletableFuture<Optional<Session>>> lookups = members.stream()
                .map(member -> find(tenant, SessionHash.sessionOfIndexMember(member)))
                .toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenCompose(done -> {
            List<Session> sessions = new ArrayList<>();
            List<String> dangling = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                Optional<Session> session = lookups.get(i).join();
                if (session.isPresent()) {
                    sessions.add(session.get());
                } else {
                    dangling.add(members.get(i));
                }
            }
            Optional<String> next = members.size() == limit ? Optional.of(members.getLast()) : Optional.empty();
            SessionPage page = new SessionPage(sessions, next);
            // Entries of sessions that ended without close (their TTL ran out) go now rather than at expiry.
            return dangling.isEmpty()
                    ? CompletableFuture.completedFuture(page)
                    : indexRemove(tenant, dangling).thenApply(removed -> page);
        });
    }

    private CompletableFuture<Optional<Session>> find(TenantId tenant, SessionId id) {
        String key = keys.sessionHash(tenant, id);
        return redis.call("get session", commands -> commands.hgetall(key))
                .thenApply(hash -> hash.isEmpty() ? Optional.empty() : Optional.of(SessionHash.session(tenant, id, hash)));
    }

    private CompletableFuture<Long> indexUpsert(Session session) {
        return redis.scriptForLong("index session", INDEX_UPSERT, indexKeys(session.tenant()),
                text(SessionHash.indexMember(session)), number(session.expiresAt().toEpochMilli()),
                number(now().toEpochMilli()), number(PRUNE_BATCH));
    }

    /** Lists a new session in the tenant index, or fails with TenantLimitException at the tenant's limit. */
    private CompletableFuture<Long> indexAdmit(Session session) {
        int limit = options.maxSessionsPerTenant();
        return redis.scriptForLong("admit session", INDEX_ADMIT, indexKeys(session.tenant()),
                        text(SessionHash.indexMember(session)), number(session.expiresAt().toEpochMilli()),
                        number(now().toEpochMilli()), number(PRUNE_BATCH), number(limit))
                .thenApply(pruned -> {
                    if (pruned < 0) {
                        throw new TenantLimitException("sessions-open", "tenant '" + session.tenant().value()
                                + "' has " + limit + " open sessions, its limit; close one or retry after Retry-After",
                                LIMIT_RETRY_AFTER);
                    }
                    return pruned;
                });
    }

    private CompletableFuture<Long> indexRemove(TenantId tenant, List<String> members) {
        return redis.scriptForLong("unindex sessions", INDEX_REMOVE, indexKeys(tenant),
                members.stream().map(RedisGateway::text).toArray(byte[][]::new));
    }

    private List<String> sessionKeys(TenantId tenant, SessionId id) {
        return List.of(keys.sessionHash(tenant, id), keys.sessionState(tenant, id));
    }

    private List<String> withTombstone(TenantId tenant, SessionId id) {
        List<String> all = new ArrayList<>(sessionKeys(tenant, id));
        all.add(keys.sessionTombstone(tenant, id));
        return all;
    }

    private List<String> indexKeys(TenantId tenant) {
        return List.of(keys.tenantSessions(tenant), keys.tenantSessionExpiry(tenant));
    }

    /** Millisecond precision: what Redis stores is milliseconds, and a session read back must equal the one created. */
    private Instant now() {
        return options.clock().now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static NotFoundException notFound(SessionId id) {
        return new NotFoundException("session " + id + " does not exist or has expired");
    }

    private static void requireValidUser(String user) {
        if (user == null || user.isBlank()) {
            throw new InvalidArgumentException("user", "user is required");
        }
        if (user.length() > MAX_USER_LENGTH) {
            throw new InvalidArgumentException("user", "user is longer than " + MAX_USER_LENGTH + " characters");
        }
    }

    private static void requireValidMetadata(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new InvalidArgumentException("metadata",
                    "metadata has " + metadata.size() + " entries; at most " + MAX_METADATA_ENTRIES + " are allowed");
        }
        metadata.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH) {
                throw new InvalidArgumentException("metadata",
                        "metadata keys must be 1 to " + MAX_METADATA_KEY_LENGTH + " characters");
            }
            if (value == null || value.length() > MAX_METADATA_VALUE_LENGTH) {
                throw new InvalidArgumentException("metadata", "the value of metadata key '" + key
                        + "' must be present and at most " + MAX_METADATA_VALUE_LENGTH + " characters");
            }
        });
    }

    private void requireValidTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1 || ttl.compareTo(options.maxSessionTtl()) > 0) {
            throw new InvalidArgumentException("ttl",
                    "ttl must be between 1 ms and " + options.maxSessionTtl() + ", was " + ttl);
        }
    }
}
