package dev.runtimeplane.service.admin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runtimeplane.service.config.RuntimeConfiguration;
import dev.runtimeplane.service.testing.Definitions;
import io.micronaut.http.HttpStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCredentialTest {

    @TempDir
    Path dir;

    @Test
    void aTokenFileIsHashedAtStartAndItsTrailingLineBreakIgnored() throws Exception {
        Path file = Files.writeString(dir.resolve("runtime-admin-token"), "from-a-file\n");
        AdminCredential credential = new AdminCredential(admin("", file.toString()));

        assertDoesNotThrow(() -> credential.require("Bearer from-a-file"));
        assertDoesNotThrow(() -> credential.require("BEARER from-a-file"));
        assertEquals(HttpStatus.UNAUTHORIZED, assertThrows(AdminAccessDenied.class,
                () -> credential.require("Bearer from-a-fil")).status());
    }

    @Test
    void aConfiguredHashAcceptsOnlyItsToken() {
        AdminCredential credential = new AdminCredential(admin(Definitions.sha256("t0ken").toUpperCase(), ""));

        assertDoesNotThrow(() -> credential.require("bearer t0ken"));
        for (String wrong : new String[] {null, "", "Bearer", "Bearer ", "Basic t0ken", "Bearer t0ken2", "t0ken"}) {
            assertEquals(HttpStatus.UNAUTHORIZED, assertThrows(AdminAccessDenied.class, () -> credential.require(wrong)).status(),
                    String.valueOf(wrong));
        }
    }

    @Test
    void withNothingConfiguredTheAdminApiIsDisabledNeverOpen() {
        AdminCredential credential = new AdminCredential(admin("", ""));

        assertFalse(credential.enabled());
        AdminAccessDenied denied = assertThrows(AdminAccessDenied.class, () -> credential.require("Bearer anything"));
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, denied.status());
    }

    @Test
    void badSettingsStopTheStart() throws Exception {
        Path file = Files.writeString(dir.resolve("empty"), "\n");
        assertThrows(IllegalArgumentException.class, () -> new AdminCredential(admin("abc", "")));
        assertThrows(IllegalArgumentException.class, () -> new AdminCredential(admin(Definitions.sha256("x"), file.toString())));
        assertThrows(IllegalArgumentException.class, () -> new AdminCredential(admin("", file.toString())));
        assertThrows(RuntimeException.class, () -> new AdminCredential(admin("", dir.resolve("missing").toString())));
    }

    private static RuntimeConfiguration.Admin admin(String sha256, String file) {
        RuntimeConfiguration.Admin admin = new RuntimeConfiguration.Admin();
        admin.setTokenSha256(sha256);
        admin.setTokenFile(file);
        return admin;
    }
}
