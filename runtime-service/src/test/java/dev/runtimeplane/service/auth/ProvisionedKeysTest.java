package dev.runtimeplane.service.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys provisioned by configuration: entries from the environment and a file, the development key, bad entries. */
class ProvisionedKeysTest {

    private static final String HASH_A = ApiKeys.sha256("key-a");
    private static final String HASH_B = ApiKeys.sha256("key-b");

    @Test
    void entriesFromTheEnvironmentAndAFileAndTheDevelopmentKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "# tenant:sha256\n\nglobex:" + HASH_B.toUpperCase() + "\n");
        AuthConfiguration config = new AuthConfiguration();
        config.setApiKeys(" acme:" + HASH_A + " ,");
        config.setApiKeysFile(file.toString());
        config.setDevKeyTenant("dev-tenant");
        Map<String, ApiKey> keys = ProvisionedKeys.read(config, Instant.EPOCH);
        assertEquals(3, keys.size(), keys.toString());
        assertEquals("acme", keys.get(HASH_A).tenant().value());
        assertEquals("globex", keys.get(HASH_B).tenant().value());
        ApiKey dev = keys.get(ApiKeys.sha256(ApiKeys.DEV_KEY));
        assertEquals("dev-tenant", dev.tenant().value());
        assertEquals("dev", dev.origin());
        assertFalse(dev.revoked());
    }

    @Test
    void aMalformedEntryFailsTheStartWithoutShowingItWhole() {
        AuthConfiguration config = new AuthConfiguration();
        config.setApiKeys("acme:not-a-hash-at-all-but-a-secret-someone-pasted");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ProvisionedKeys.read(config, Instant.EPOCH));
        assertTrue(error.getMessage().contains("tenant:sha256"), error.getMessage());
        assertFalse(error.getMessage().contains("secret-someone-pasted"), error.getMessage());
        config.setApiKeys("a:b:" + HASH_A);
        assertThrows(IllegalArgumentException.class, () -> ProvisionedKeys.read(config, Instant.EPOCH));
    }

    @Test
    void theDevelopmentKeyStopsAStartOutsideDevelopmentMode() {
        AuthConfiguration config = new AuthConfiguration();
        config.setDevKeyTenant("acme");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ApiKeys.requireDevelopmentModeForDevKey(config, false));
        assertTrue(error.getMessage().contains("runtime.development-mode"), error.getMessage());
        ApiKeys.requireDevelopmentModeForDevKey(config, true);
        ApiKeys.requireDevelopmentModeForDevKey(new AuthConfiguration(), false);
    }

    @Test
    void oneKeyForTwoTenantsFails() {
        AuthConfiguration config = new AuthConfiguration();
        config.setApiKeys("acme:" + HASH_A + ",globex:" + HASH_A);
        assertThrows(IllegalArgumentException.class, () -> ProvisionedKeys.read(config, Instant.EPOCH));
    }

    @Test
    void aRecordRoundTripsAndARevocationWinsAMerge() {
        ApiKey active = new ApiKey(HASH_A, dev.runtimeplane.core.id.TenantId.of("acme"), Instant.EPOCH, null, "admin");
        ApiKey revoked = active.revokedAt(Instant.EPOCH.plusSeconds(5));
        assertEquals(active, ApiKey.decode(HASH_A, active.encode()));
        assertEquals(revoked, ApiKey.decode(HASH_A, revoked.encode()));
        assertEquals(revoked, active.merge(revoked));
        assertEquals(revoked, revoked.merge(active));
        assertEquals(HASH_A.substring(0, 16), active.id());
    }
}
