package dev.runtimeplane.service.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.SharedJournal;
import dev.runtimeplane.declarative.DefinitionParser;
import dev.runtimeplane.declarative.HttpSagaFactory;
import dev.runtimeplane.declarative.OutboundPolicy;
import dev.runtimeplane.declarative.SecretResolver;
import dev.runtimeplane.declarative.SessionMetadataSource;
import dev.runtimeplane.service.testing.Definitions;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.state.StateSurfaceOptions;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import dev.runtimeplane.saga.SagaDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registered definitions on a real WAL and a Redis of the test's own: durable, restored, carried forward. */
class DeclaredIntentsTest {

    private static final String SERVICE = "http://127.0.0.1:9";
    private static final OutboundPolicy POLICY = OutboundPolicy.builder().allow(SERVICE).build();

    @TempDir
    Path dir;
    private RedisServer redis;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void redis() {
        redis = RedisTestKit.startServer();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        redis.close();
    }

    @Test
    void aRegistrationIsJournaledSoARestartGivesRedisItBack() throws Exception {
        Replica first = replica("a");
        assertEquals(DeclaredIntents.Outcome.CREATED, first.intents.register(definition("order", 1), false).outcome());
        first.close();
        redis.command("DEL", "rp:intent-types"); // Redis lost it while the replica was down

        Replica second = replica("a");
        assertTrue(second.catalog.findDeclared("order", 1).isPresent(), "registered again from the journal");
        assertEquals(definition("order", 1), redis.command("HGET", "rp:intent-types", "order@1"), "written back to Redis");
        assertEquals(HealthStatus.UP, second.intents.health().status());
    }

    @Test
    void aRedisThatLostItsDataGetsTheDefinitionsBackFromTheJournal() throws Exception {
        Replica replica = replica("a");
        replica.intents.register(definition("order", 1), false);
        replica.intents.register(definition("order", 2), false);
        redis.stop();
        redis.start(); // persistence is off: back, empty

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"2".equals(redis.command("HLEN", "rp:intent-types"))) {
            assertTrue(System.nanoTime() < deadline, "the definitions were not restored: " + replica.intents.health());
            Thread.sleep(50);
        }
        assertEquals(definition("order", 2), redis.command("HGET", "rp:intent-types", "order@2"));
    }

    @Test
    void anotherReplicasRegistrationIsPickedUpAndJournaledHere() throws Exception {
        Replica a = replica("a");
        Replica b = replica("b");
        a.intents.register(definition("shared", 1), false);

        b.intents.syncOnce();

        assertTrue(b.catalog.findDeclared("shared", 1).isPresent());
        assertTrue(b.journaledFields().contains("shared@1"), "B can give it back to Redis too");
        assertEquals(DeclaredIntents.Outcome.UNCHANGED, b.intents.register(definition("shared", 1), false).outcome());
        RuntimePlaneException conflict = assertThrows(RuntimePlaneException.class,
                () -> b.intents.register(definition("shared", 1).replace("deadline: 30s", "deadline: 31s"), false));
        assertEquals(ErrorCode.CONFLICT, conflict.code());
    }

    @Test
    void aReplicaMissingADefinitionLoadsItWhenAnExecutionNeedsIt() throws Exception {
        Replica a = replica("a");
        Replica b = replica("b");
        a.intents.register(definition("needed", 4), false);

        assertTrue(b.catalog.registry().findOrLoad("needed", 4).isPresent());
        assertTrue(b.catalog.findDeclared("needed", 4).isPresent());
        assertTrue(b.catalog.registry().findOrLoad("needed", 5).isEmpty());
    }

    @Test
    void aDefinitionFileCannotDefineAJavaIntentType() throws Exception {
        Path files = Files.createDirectories(dir.resolve("files"));
        Files.writeString(files.resolve("order.yaml"), definition("java-order", 1));
        SagaDefinition javaSaga = SagaDefinition.builder("java-order", 1).step("only", context -> "{}").build();
        IntentCatalog catalog = new IntentCatalog(List.of(new IntentType("java-order", "compiled in", javaSaga, "{}")));
        StateSurface surface = new StateSurface(StateSurfaceOptions.builder().redisUri(redis.uri()).keyPrefix("rp").build());
        surface.start();
        closing.add(surface);
        DeclaredIntents intents = new DeclaredIntents(catalog, new DefinitionParser(POLICY),
                new HttpSagaFactory(POLICY, SecretResolver.environmentThenFiles(Map.of(), dir), SessionMetadataSource.NONE),
                surface.intentTypes(), new SharedJournal(wal("java")).member("intent-definitions"), files);
        closing.add(intents);

        RuntimePlaneException conflict = assertThrows(RuntimePlaneException.class, intents::start);

        assertEquals(ErrorCode.CONFLICT, conflict.code());
        assertTrue(conflict.getMessage().contains("order.yaml") && conflict.getMessage().contains("defined in Java"),
                conflict.getMessage());
    }

    @Test
    void oldDefinitionRecordsAreCarriedForwardSoTheFloorMoves() throws Exception {
        WriteAheadLog wal = wal("carry");
        DefinitionJournal journal = new DefinitionJournal(wal, 10);
        journal.replay();
        journal.append("a@1", "first");
        journal.append("b@1", "second");
        journal.keepFloor();
        assertEquals(1, journal.floor(), "the first definition's record is still needed");
        for (int i = 0; i < 20; i++) {
            wal.append(7, new byte[] {1}).join(); // another writer's records
        }

        journal.keepFloor();

        assertEquals(23, journal.floor(), "both definitions journaled again at 23 and 24");
        wal.close();
        DefinitionJournal reopened = new DefinitionJournal(wal("carry"), 10);
        assertEquals(Map.of("a@1", "first", "b@1", "second"), reopened.replay());
    }

    private static String definition(String type, int version) {
        return Definitions.orderFlow(SERVICE, SERVICE, SERVICE).replace("intentType: place-order", "intentType: " + type)
                .replace("version: 1\n", "version: " + version + "\n");
    }

    private WriteAheadLog wal(String name) {
        WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(dir.resolve(name)).fsyncPolicy(FsyncPolicy.ALWAYS).build());
        closing.add(wal);
        return wal;
    }

    /** A replica's definitions on its own WAL ({@code name}; the same name reopens it) and the shared Redis. */
    private Replica replica(String name) throws Exception {
        return new Replica(wal(name));
    }

    private final class Replica implements AutoCloseable {
        final IntentCatalog catalog = new IntentCatalog(List.of());
        final DeclaredIntents intents;
        final StateSurface surface;
        final WriteAheadLog wal;

        Replica(WriteAheadLog wal) throws Exception {
            this.wal = wal;
            surface = new StateSurface(StateSurfaceOptions.builder().redisUri(redis.uri()).keyPrefix("rp").build());
            surface.start();
            closing.add(surface);
            intents = new DeclaredIntents(catalog, new DefinitionParser(POLICY),
                    new HttpSagaFactory(POLICY, SecretResolver.environmentThenFiles(Map.of(), dir), SessionMetadataSource.NONE),
                    surface.intentTypes(), new SharedJournal(wal).member("intent-definitions"), null);
            closing.add(intents);
            surface.onDataLoss(intents::restoreStore); // as RuntimeComponents wires it
            intents.start();
        }

        List<String> journaledFields() {
            List<String> fields = new ArrayList<>();
            try (var entries = ((Journal) wal).replay(1)) {
                entries.filter(e -> e.type() == DefinitionJournal.DEFINITION).forEach(e -> {
                    String text = new String(e.payload(), StandardCharsets.UTF_8);
                    fields.add(text.substring(0, text.indexOf('\n')));
                });
            }
            return fields;
        }

        @Override
        public void close() {
            intents.close();
            surface.close();
            wal.close();
        }
    }
}
