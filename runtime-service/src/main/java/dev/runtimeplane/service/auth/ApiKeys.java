package dev.runtimeplane.service.auth;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.HealthCell;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.service.journal.LatestRecordJournal;
import dev.runtimeplane.service.journal.RedisCalls;
import dev.runtimeplane.state.ApiKeyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant API keys: created (the key shown once), listed and revoked through the admin API, or provisioned
 * from configuration. A key is stored only as its SHA-256 (a key has 256 random bits, so a fast hash is enough).
 *
 * <p>Durable like the intent definitions: every change is journaled in this replica's WAL before it is
 * acknowledged, then stored in Redis for every replica; each replica polls the store's revision every
 * {@code runtime.auth.key-sync-interval} and journals what it lacks, so any replica's WAL can give a Redis that
 * lost its data every key and revocation back ({@link #restoreStore()}). Verification reads this replica's
 * copy (no Redis round trip); a revocation reaches every replica's copy within one sync interval. A key this
 * replica does not know yet (created a moment ago through another replica) is looked up in Redis.
 */
public final class ApiKeys implements Component {

    public static final String NAME = "apiKeys";
    /** The development key {@code runtime.auth.dev-key-tenant} provisions: public, never for production. */
    public static final String DEV_KEY = "rpk_dev_insecure_development_key";
    /** Record type of one key in the WAL: its SHA-256, a line break, {@link ApiKey#encode()}; UTF-8. */
    static final int API_KEY = 0x4B01;
    static final long CARRY_AFTER_RECORDS = 100_000;

    /**
     * The development key is public (the README prints it), so it is refused outside development mode:
     * a production deployment that copied the setting stops at start instead of opening sessions to anyone.
     */
    public static void requireDevelopmentModeForDevKey(AuthConfiguration config, boolean developmentMode) {
        if (!developmentMode && config.getDevKeyTenant() != null && !config.getDevKeyTenant().isBlank()) {
            throw new IllegalArgumentException("runtime.auth.dev-key-tenant (RUNTIME_AUTH_DEV_KEY_TENANT) provisions a public "
                    + "key and works only with runtime.development-mode=true; provision real keys instead (README: "
                    + "Tenants and credentials)");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final String KEY_PREFIX = "rpk_";
    private static final int KEY_BYTES = 32;

    private final ApiKeyStore store;
    private final LatestRecordJournal journal;
    private final AuthConfiguration config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final HealthCell health = new HealthCell(HealthSnapshot.starting(NAME, Instant.now()));
    /** Guards the journal and every change to {@link #known}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** This replica's copy: every key it has journaled, by SHA-256. Read without the lock. */
    private final Map<String, ApiKey> known = new ConcurrentHashMap<>();
    private volatile long knownRevision = -1;
    /** Whether {@link #known} holds an active key; kept with the health snapshot, so a request never scans the keys. */
    private volatile boolean anyActive;
    private volatile String lastSyncError = "";
    private volatile Thread syncer;
    private volatile boolean closed;

    public ApiKeys(ApiKeyStore store, Journal journal, AuthConfiguration config, Clock clock) {
        this.store = store;
        this.journal = new LatestRecordJournal(journal, API_KEY, CARRY_AFTER_RECORDS);
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Replays the journal, merges Redis's keys and the provisioned ones, gives each side what it lacks, starts syncing. */
    @Override
    public void start() throws InterruptedException {
        Map<String, ApiKey> provisioned = ProvisionedKeys.read(config, clock.instant());
        lock.lock();
        try {
            journal.replay().forEach((sha, record) -> known.put(sha, ApiKey.decode(sha, record)));
            Map<String, String> shared = RedisCalls.awaitAvailable(store::all, "API keys", LOG);
            shared.forEach((sha, record) -> adopt(ApiKey.decode(sha, record)));
            provisioned.values().forEach(this::provision);
            known.values().forEach(key -> {
                String stored = shared.get(key.sha256());
                if (stored == null || !stored.equals(key.encode())) {
                    giveToRedis(key);
                }
            });
            journal.keepFloor();
        } finally {
            lock.unlock();
        }
        if (provisioned.values().stream().anyMatch(key -> key.origin().equals("dev"))) {
            LOG.warn("*** DEVELOPMENT API KEY ENABLED: '{}' opens sessions for tenant '{}' (runtime.auth.dev-key-tenant). "
                    + "Anyone who reads the README knows it: never set this in production. ***", DEV_KEY,
                    config.getDevKeyTenant().trim());
        }
        publishHealth();
        Thread thread = new Thread(this::followRedis, "api-keys-sync");
        thread.setDaemon(true);
        thread.start();
        syncer = thread;
        LOG.info("API keys: {} active, {} revoked ({} provisioned from configuration)", activeCount(),
                known.size() - activeCount(), provisioned.size());
    }

    /** The key's record (revoked ones included), or empty when no such key exists. Never blocks. */
    public CompletableFuture<Optional<ApiKey>> find(String presentedKey) {
        String sha = sha256(presentedKey);
        ApiKey local = known.get(sha);
        if (local != null) {
            return CompletableFuture.completedFuture(Optional.of(local));
        }
        return store.get(sha).thenApply(record -> record.map(text -> ApiKey.decode(sha, text)));
    }

    /** Whether any key could authenticate a tenant right now. */
    public boolean anyActive() {
        return anyActive;
    }

    /** A new key for {@code tenant}: durable in the WAL and stored in Redis before it returns. Blocks. */
    public Created create(TenantId tenant) {
        byte[] secret = new byte[KEY_BYTES];
        random.nextBytes(secret);
        String presented = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey key = new ApiKey(sha256(presented), tenant, clock.instant(), null, "admin");
        lock.lock();
        try {
            journal.append(key.sha256(), key.encode());
            known.put(key.sha256(), key);
            RedisCalls.await(store.putIfAbsent(key.sha256(), key.encode()));
        } finally {
            lock.unlock();
            publishHealth();
        }
        LOG.info("API key {} created for tenant {}", key.id(), tenant);
        return new Created(presented, key);
    }

    /** The tenant's keys, revoked ones included, oldest first; never a key itself. */
    public List<ApiKey> list(TenantId tenant) {
        syncOnce();
        return known.values().stream().filter(key -> key.tenant().equals(tenant))
                .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id)).toList();
    }

    /** Revokes the key with this id: journaled, then stored in Redis; every replica refuses it within a sync interval. */
    public ApiKey revoke(String id) {
        syncOnce();
        lock.lock();
        try {
            ApiKey key = known.values().stream().filter(candidate -> candidate.id().equals(id)).findFirst()
                    .orElseThrow(() -> new NotFoundException("no API key with id '" + id + "'"));
            if (key.revoked()) {
                return key;
            }
            ApiKey revoked = key.revokedAt(clock.instant());
            journal.append(revoked.sha256(), revoked.encode());
            known.put(revoked.sha256(), revoked);
            RedisCalls.await(store.put(revoked.sha256(), revoked.encode()));
            LOG.info("API key {} of tenant {} revoked", id, key.tenant());
            return revoked;
        } finally {
            lock.unlock();
            publishHealth();
        }
    }

    /** Gives a Redis that lost its data every key and revocation this replica's journal holds. */
    public void restoreStore() {
        lock.lock();
        try {
            known.values().forEach(this::giveToRedis);
            knownRevision = -1;
            LOG.info("Redis lost its data: {} API keys restored from this replica's journal", known.size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public HealthSnapshot health() {
        return health.get();
    }

    @Override
    public void close() {
        closed = true;
        Thread running = syncer;
        if (running != null) {
            running.interrupt();
        }
    }

    /** Picks up keys created or revoked through other replicas (journaling them here), and keeps the floor. */
    void syncOnce() {
        long revision = RedisCalls.await(store.revision());
        if (revision != knownRevision) {
            Map<String, String> shared = RedisCalls.await(store.all());
            lock.lock();
            try {
                shared.forEach((sha, record) -> {
                    ApiKey ours = known.get(sha);
                    ApiKey theirs = ApiKey.decode(sha, record);
                    adopt(theirs);
                    if (ours != null && ours.revoked() && !theirs.revoked()) {
                        giveToRedis(ours); // a revocation Redis lost: it wins
                    }
                });
            } finally {
                lock.unlock();
            }
            knownRevision = revision;
        }
        lock.lock();
        try {
            journal.keepFloor();
        } finally {
            lock.unlock();
        }
    }

    /** Journals {@code key} here unless this replica already holds it (or its revocation). Under the lock. */
    private void adopt(ApiKey key) {
        ApiKey ours = known.get(key.sha256());
        ApiKey merged = ours == null ? key : ours.merge(key);
        if (ours == null || !merged.encode().equals(ours.encode())) {
            journal.append(merged.sha256(), merged.encode());
            known.put(merged.sha256(), merged);
        }
    }

    /** A key from configuration: added unless known; a known one keeps its record (a revoked one stays revoked). */
    private void provision(ApiKey key) {
        ApiKey ours = known.get(key.sha256());
        if (ours == null) {
            adopt(key);
        } else if (!ours.tenant().equals(key.tenant())) {
            throw new IllegalArgumentException("API key " + key.id() + " is provisioned for tenant " + key.tenant()
                    + " but exists for tenant " + ours.tenant());
        } else if (ours.revoked()) {
            LOG.warn("API key {} of tenant {} is provisioned by configuration but was revoked; it stays revoked",
                    key.id(), key.tenant());
        }
    }

    private void giveToRedis(ApiKey key) {
        if (key.revoked()) {
            RedisCalls.await(store.put(key.sha256(), key.encode()));
        } else {
            RedisCalls.await(store.putIfAbsent(key.sha256(), key.encode()));
        }
    }

    private void followRedis() {
        while (!closed && !Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(config.getKeySyncInterval());
                syncOnce();
                lastSyncError = "";
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                lastSyncError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            publishHealth();
        }
    }

    private long activeCount() {
        return known.values().stream().filter(key -> !key.revoked()).count();
    }

    private void publishHealth() {
        Map<String, Object> details = new LinkedHashMap<>();
        long active = activeCount();
        anyActive = active > 0;
        details.put("active", active);
        details.put("revoked", known.size() - active);
        details.put("journalFloor", journal.floor());
        if (!lastSyncError.isEmpty()) {
            details.put("lastSyncError", lastSyncError);
        }
        health.publish(HealthSnapshot.up(NAME, details, Instant.now()));
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** A key just created: {@code key} is shown to the caller once and never stored. */
    public record Created(String key, ApiKey record) {
    }
}
