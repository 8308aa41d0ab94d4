package dev.runtimeplane.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.saga.SagaDefinition;
import dev.runtimeplane.saga.SagaRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** File definitions register beside Java definitions in saga's registry, all or nothing. */
class LoadedDefinitionsTest {

    private final OutboundPolicy policy = Definitions.defaultPolicy();
    private final DefinitionLoader loader = new DefinitionLoader(new DefinitionParser(policy));

    private LoadedDefinitions twoVersions() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("v1.yaml", Definitions.orderFlow());
        sources.put("v2.yaml", Definitions.orderFlow().replace("version: 1", "version: 2"));
        return loader.load(sources);
    }

    @Test
    void fileDefinitionsRegisterBesideJavaDefinitions() {
        SagaRegistry registry = new SagaRegistry()
                .register(SagaDefinition.builder("refund", 1).step("pay", context -> "done").build());
        try (HttpSagaFactory factory = new HttpSagaFactory(policy, name -> Optional.empty(), SessionMetadataSource.NONE)) {
            twoVersions().registerAll(registry, factory);
        }
        assertEquals(2, registry.latest("place-order").version());
        assertEquals(3, registry.lookup("place-order", 1).steps().size());
        assertEquals("refund v1", registry.latest("refund").toString());
    }

    @Test
    void aTakenNameAndVersionRegistersNothing() {
        SagaRegistry registry = new SagaRegistry()
                .register(SagaDefinition.builder("place-order", 2).step("java", context -> "done").build());
        try (HttpSagaFactory factory = new HttpSagaFactory(policy, name -> Optional.empty(), SessionMetadataSource.NONE)) {
            RuntimePlaneException e = assertThrows(RuntimePlaneException.class,
                    () -> twoVersions().registerAll(registry, factory));
            assertEquals(ErrorCode.CONFLICT, e.code());
            assertTrue(e.getMessage().contains("place-order v2 from v2.yaml"), e.getMessage());
        }
        assertTrue(registry.find("place-order", 1).isEmpty(), "v1 was not registered either");
        assertEquals("java", registry.lookup("place-order", 2).step(0).name());
    }
}
