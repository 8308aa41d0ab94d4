package dev.runtimeplane.service.intent;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.HealthCell;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.declarative.DefinitionLoader;
import dev.runtimeplane.declarative.DefinitionParser;
import dev.runtimeplane.declarative.DefinitionProblem;
import dev.runtimeplane.declarative.HttpSagaFactory;
import dev.runtimeplane.declarative.IntentDefinition;
import dev.runtimeplane.declarative.LoadedDefinitions;
import dev.runtimeplane.declarative.OutboundStats;
import dev.runtimeplane.declarative.ParsedDefinition;
import dev.runtimeplane.saga.SagaDefinition;
import dev.runtimeplane.service.journal.RedisCalls;
import dev.runtimeplane.state.IntentTypeStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The declarative intent types of this replica: definition files read at start, and definitions registered
 * through the admin API on any replica. A registered definition is journaled in this replica's WAL before it
 * is acknowledged, then stored in Redis ({@link IntentTypeStore}) for every replica; each replica polls the
 * store's size every second, and journals and registers what it lacks, so its own WAL can give a Redis that
 * lost its data every definition back ({@link #restoreStore()}). A (type, version) is immutable: the same
 * text again is a no-op, other text is a CONFLICT.
 *
 * <p>Start it after the state surface and before the saga coordinator: recovery needs the definitions.
 */
public final class DeclaredIntents implements Component {

    public static final String NAME = "intentDefinitions";

    private static final Logger LOG = LoggerFactory.getLogger(DeclaredIntents.class);
    private static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);
    /** How far (in WAL records) the oldest definition record may fall behind before all are journaled again. */
    static final long CARRY_AFTER_RECORDS = 100_000;

    /** What a registration did. */
    public enum Outcome { CREATED, UNCHANGED }

    /** The answer to a registration: what it did, and the version as registered. */
    public record Registration(Outcome outcome, IntentVersion version) {
    }

    private final IntentCatalog catalog;
    private final DefinitionParser parser;
    private final HttpSagaFactory sagas;
    private final IntentTypeStore store;
    private final DefinitionJournal journal;
    private final Path definitionsDir;
    private final HealthCell health = new HealthCell(HealthSnapshot.starting(NAME, Instant.now()));
    /** Guards the journal and every change to the registered definitions; registrations are rare. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Definitions in Redis this replica cannot load (another replica's allow-list, a Java name here). */
    private final Set<String> unusable = ConcurrentHashMap.newKeySet();
    private volatile long knownCount = -1;
    private volatile String lastSyncError = "";
    private volatile Thread syncer;
    private volatile boolean closed;

    public DeclaredIntents(IntentCatalog catalog, DefinitionParser parser, HttpSagaFactory sagas, IntentTypeStore store,
                           Journal journal, Path definitionsDir) {
        this.catalog = catalog;
        this.parser = parser;
        this.sagas = sagas;
        this.store = store;
        this.journal = new DefinitionJournal(journal, CARRY_AFTER_RECORDS);
        this.definitionsDir = definitionsDir;
        catalog.registry().loadMissingWith(this::loadMissing);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Loads the definition files (any invalid one fails the start, naming every problem), this replica's
     * journaled definitions and Redis's, reconciles them, registers them all, and starts following Redis.
     */
    @Override
    public void start() throws InterruptedException {
        Map<String, String> files = readDefinitionFiles();
        lock.lock();
        try {
            Map<String, String> journaled = journal.replay();
            Map<String, String> shared = RedisCalls.awaitAvailable(store::all, "intent definitions", LOG);
            journaled.forEach((field, source) -> {
                String stored = shared.get(field);
                if (stored == null) {
                    RedisCalls.await(store.putIfAbsent(field, source)); // Redis lost it: give it back
                    shared.put(field, source);
                } else if (!stored.equals(source)) {
                    LOG.warn("intent definition {} in this replica's journal differs from the one in Redis; Redis's is used", field);
                }
            });
            files.forEach((field, source) -> {
                String stored = shared.putIfAbsent(field, source);
                if (stored != null && !stored.equals(source)) {
                    throw new RuntimePlaneException(ErrorCode.CONFLICT, "intent type " + field.replace("@", " v")
                            + " is defined differently in " + definitionsDir + " and in the registered definitions; "
                            + "a version cannot change: give the file a new version", "version", null);
                }
                RedisCalls.await(store.putIfAbsent(field, source));
            });
            shared.forEach((field, source) -> {
                if (files.containsKey(field)) {
                    adopt(field, source); // a file that cannot be used fails the start
                } else {
                    adoptQuietly(field, source);
                }
            });
            journal.keepFloor();
        } finally {
            lock.unlock();
        }
        publishHealth();
        syncer = Thread.ofVirtual().name("intent-definitions-sync").start(this::followRedis);
        LOG.info("intent definitions: {} registered ({} from {}), {} not usable here", registeredCount(), files.size(),
                definitionsDir == null ? "no definitions directory" : definitionsDir, unusable.size());
    }

    /**
     * Registers a definition sent to the admin API. Journaled in the WAL and stored in Redis before it
     * returns. Throws the parser's DefinitionException (400, every problem) for an invalid one, CONFLICT
     * (409) when the version exists with other text or the name is a Java intent type.
     */
    public Registration register(String text, boolean json) {
        ParsedDefinition parsed = parser.parse(json ? "registration.json" : "registration.yaml", text);
        IntentDefinition definition = parsed.definition();
        String field = IntentTypeStore.field(definition.intentType(), definition.version());
        lock.lock();
        try {
            if (catalog.isJava(definition.intentType())) {
                throw conflict(field, "is defined in Java; a definition cannot define it too", "intentType");
            }
            Optional<String> known = journal.holds(field) ? Optional.of(journal.source(field))
                    : RedisCalls.await(store.get(field));
            if (known.isPresent()) {
                if (!known.get().equals(text)) {
                    throw conflict(field, "is already registered with other content; a version cannot change: "
                            + "register it as a new version", "version");
                }
                return new Registration(Outcome.UNCHANGED, adopt(field, text));
            }
            journal.append(field, text);
            Optional<String> raced = RedisCalls.await(store.putIfAbsent(field, text));
            if (raced.isPresent() && !raced.get().equals(text)) {
                adoptQuietly(field, raced.get()); // the one Redis kept, journaled over ours
                throw conflict(field, "was registered with other content at the same moment through another replica",
                        "version");
            }
            IntentVersion registered = adopt(field, text);
            LOG.info("intent type {} registered through the admin API", field);
            return new Registration(Outcome.CREATED, registered);
        } finally {
            lock.unlock();
            publishHealth();
        }
    }

    /** Gives a Redis that lost its data every definition this replica's journal holds. */
    public void restoreStore() {
        lock.lock();
        try {
            journal.sources().forEach((field, source) -> RedisCalls.await(store.putIfAbsent(field, source)));
            knownCount = -1;
            LOG.info("Redis lost its data: {} intent definitions restored from this replica's journal", journal.sources().size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public HealthSnapshot health() {
        return health.get();
    }

    /** Stops following Redis and closes the outbound HTTP client; close it after the saga coordinator. */
    @Override
    public void close() {
        closed = true;
        Thread running = syncer;
        if (running != null) {
            running.interrupt();
        }
        sagas.close();
    }

    /** Registers {@code source} here (journaling it first if this replica's WAL lacks it); idempotent. */
    private IntentVersion adopt(String field, String source) {
        Optional<IntentVersion> registered = registeredVersion(field);
        if (registered.isPresent()) {
            return registered.get();
        }
        ParsedDefinition parsed = parser.parse(sourceName(field, source), source);
        IntentDefinition definition = parsed.definition();
        if (!IntentTypeStore.field(definition.intentType(), definition.version()).equals(field)) {
            throw new IllegalStateException("the definition stored as " + field + " defines " + definition);
        }
        SagaDefinition saga = sagas.toSagaDefinition(definition);
        IntentVersion version = IntentVersion.of(definition, saga,
                parsed.warnings().stream().map(DefinitionProblem::toString).toList());
        if (!source.equals(journal.source(field))) {
            journal.append(field, source); // absent here, or journaled with text Redis did not keep
        }
        catalog.addDeclared(version);
        unusable.remove(field);
        return version;
    }

    /** {@link #adopt}, but a definition that cannot be loaded here is logged and skipped, not thrown. */
    private Optional<IntentVersion> adoptQuietly(String field, String source) {
        try {
            return Optional.of(adopt(field, source));
        } catch (UnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            if (unusable.add(field)) {
                LOG.error("intent definition {} is registered but cannot be used on this replica: {}", field, e.getMessage());
            }
            return Optional.empty();
        }
    }

    private Optional<IntentVersion> registeredVersion(String field) {
        int at = field.lastIndexOf('@');
        return catalog.findDeclared(field.substring(0, at), Integer.parseInt(field.substring(at + 1)));
    }

    /** For the saga registry: a definition an execution runs that this replica has not loaded yet. May block. */
    private Optional<SagaDefinition> loadMissing(String name, int version) {
        String field = IntentTypeStore.field(name, version);
        lock.lock();
        try {
            Optional<IntentVersion> known = registeredVersion(field);
            if (known.isPresent()) {
                return Optional.of(known.get().saga());
            }
            return RedisCalls.await(store.get(field)).flatMap(source -> adoptQuietly(field, source)).map(IntentVersion::saga);
        } catch (UnavailableException e) {
            LOG.warn("cannot load intent definition {} from Redis: {}", field, e.getMessage());
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Every second: picks up definitions registered through other replicas, and keeps the journal's floor. */
    private void followRedis() {
        while (!closed && !Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(SYNC_INTERVAL);
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

    void syncOnce() {
        long count = RedisCalls.await(store.count());
        if (count != knownCount) {
            Map<String, String> shared = RedisCalls.await(store.all());
            lock.lock();
            try {
                shared.forEach((field, source) -> {
                    if (registeredVersion(field).isEmpty() && !unusable.contains(field)) {
                        adoptQuietly(field, source).ifPresent(v -> LOG.info("intent type {} registered (from Redis)", field));
                    }
                });
            } finally {
                lock.unlock();
            }
            knownCount = count;
        }
        lock.lock();
        try {
            journal.keepFloor();
        } finally {
            lock.unlock();
        }
    }

    /** Files of the definitions directory, all or nothing (DefinitionException naming every problem), by field. */
    private Map<String, String> readDefinitionFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        if (definitionsDir == null) {
            return files;
        }
        LoadedDefinitions loaded = new DefinitionLoader(parser).loadDirectory(definitionsDir);
        loaded.warnings().forEach(warning -> LOG.warn("{}", warning));
        for (IntentDefinition definition : loaded.definitions()) {
            if (catalog.isJava(definition.intentType())) {
                throw new RuntimePlaneException(ErrorCode.CONFLICT, definition.source() + ": intent type '"
                        + definition.intentType() + "' is defined in Java; a definition file cannot define it too",
                        "intentType", null);
            }
            try {
                files.put(IntentTypeStore.field(definition.intentType(), definition.version()),
                        Files.readString(Path.of(definition.source())));
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + definition.source(), e);
            }
        }
        return files;
    }

    private static String sourceName(String field, String source) {
        return field + (source.stripLeading().startsWith("{") ? ".json" : ".yaml");
    }

    private static RuntimePlaneException conflict(String field, String what, String offending) {
        return new RuntimePlaneException(ErrorCode.CONFLICT, "intent type " + field.replace("@", " v") + " " + what,
                offending, null);
    }

    private int registeredCount() {
        return catalog.declaredCount();
    }

    private void publishHealth() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("registered", registeredCount());
        details.put("unusable", unusable.size());
        details.put("journalFloor", journal.floor());
        OutboundStats outbound = sagas.outboundStats();
        details.put("outboundLeased", outbound.leased());
        details.put("outboundPending", outbound.pending());
        details.put("outboundMax", outbound.max());
        if (!lastSyncError.isEmpty()) {
            details.put("lastSyncError", lastSyncError);
        }
        health.publish(HealthSnapshot.up(NAME, details, Instant.now()));
    }
}
