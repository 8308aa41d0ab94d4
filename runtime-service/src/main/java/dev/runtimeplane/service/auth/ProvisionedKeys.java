package dev.runtimeplane.service.auth;

import dev.runtimeplane.core.id.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API keys a deployment provisions at start: {@code tenant:sha256} entries from {@code runtime.auth.api-keys}
 * and from the lines of {@code runtime.auth.api-keys-file}, and the development key. A malformed entry fails the
 * start, naming it (never the hash's full text).
 */
final class ProvisionedKeys {

    private ProvisionedKeys() {
    }

    /** Every provisioned key by hash; the same hash for two tenants fails. */
    static Map<String, ApiKey> read(AuthConfiguration config, Instant now) {
        Map<String, ApiKey> keys = new LinkedHashMap<>();
        List<String> entries = new ArrayList<>();
        for (String entry : blankIfNull(config.getApiKeys()).split(",")) {
            entries.add(entry);
        }
        String file = blankIfNull(config.getApiKeysFile()).trim();
        if (!file.isEmpty()) {
            entries.addAll(lines(Path.of(file)));
        }
        for (String entry : entries) {
            String line = entry.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            add(keys, parse(line, now, "config"));
        }
        String devTenant = blankIfNull(config.getDevKeyTenant()).trim();
        if (!devTenant.isEmpty()) {
            add(keys, new ApiKey(ApiKeys.sha256(ApiKeys.DEV_KEY), tenant(devTenant, "runtime.auth.dev-key-tenant"),
                    now, null, "dev"));
        }
        return keys;
    }

    private static ApiKey parse(String line, Instant now, String origin) {
        int colon = line.lastIndexOf(':');
        String hash = colon < 0 ? "" : line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        if (colon <= 0 || !hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("an API key entry must be tenant:sha256 (64 hex digits); got one starting '"
                    + line.substring(0, Math.min(12, line.length())) + "'");
        }
        return new ApiKey(hash, tenant(line.substring(0, colon).trim(), "an API key entry"), now, null, origin);
    }

    private static void add(Map<String, ApiKey> keys, ApiKey key) {
        ApiKey other = keys.putIfAbsent(key.sha256(), key);
        if (other != null && !other.tenant().equals(key.tenant())) {
            throw new IllegalArgumentException("API key " + key.id() + " is provisioned for two tenants ("
                    + other.tenant() + ", " + key.tenant() + ")");
        }
    }

    private static TenantId tenant(String value, String where) {
        try {
            return TenantId.of(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": invalid tenant '" + value + "': " + e.getMessage());
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the API keys file " + file + " cannot be read", e);
        }
    }

    private static String blankIfNull(String value) {
        return value == null ? "" : value;
    }
}
