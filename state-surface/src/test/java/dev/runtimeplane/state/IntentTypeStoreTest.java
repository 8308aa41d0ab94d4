package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runtimeplane.testkit.RedisTestKit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntentTypeStoreTest {

    private StateSurface surface;

    @BeforeEach
    void start() {
        surface = new StateSurface(StateSurfaceOptions.builder()
                .redisUri(RedisTestKit.shared().uri())
                .keyPrefix("types-" + System.nanoTime())
                .build());
        surface.start();
        Await.healthUp(surface);
    }

    @AfterEach
    void close() {
        surface.close();
    }

    @Test
    void aDefinitionIsStoredOnceAndTheCountGrowsWithEachNewOne() {
        IntentTypeStore store = surface.intentTypes();
        assertEquals(0L, result(store.count()));
        String field = IntentTypeStore.field("place-order", 1);
        assertEquals("place-order@1", field);

        assertEquals(Optional.empty(), result(store.putIfAbsent(field, "intentType: place-order\nversion: 1\n")));
        assertEquals(Optional.of("intentType: place-order\nversion: 1\n"),
                result(store.putIfAbsent(field, "intentType: place-order\nversion: 1\n")), "same text: already there");
        assertEquals(Optional.of("intentType: place-order\nversion: 1\n"),
                result(store.putIfAbsent(field, "other text")), "other text never replaces it");
        assertEquals(1L, result(store.count()));

        result(store.putIfAbsent(IntentTypeStore.field("place-order", 2), "v2 é"));
        assertEquals(2L, result(store.count()));
        assertEquals(Map.of("place-order@1", "intentType: place-order\nversion: 1\n", "place-order@2", "v2 é"),
                result(store.all()));
        assertEquals(Optional.of("v2 é"), result(store.get("place-order@2")));
        assertEquals(Optional.empty(), result(store.get("place-order@3")));
    }
}
