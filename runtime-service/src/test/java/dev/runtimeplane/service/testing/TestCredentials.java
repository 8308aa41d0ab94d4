package dev.runtimeplane.service.testing;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The tenant API keys every test service is provisioned with ({@link #PROVISIONED}, as
 * {@code runtime.auth.api-keys} / RUNTIME_AUTH_API_KEYS), one per test tenant, so tests open sessions as before:
 * {@link ApiClient} sends the key of the tenant a {@code POST /v1/sessions} body names unless the request has its
 * own Authorization header.
 */
public final class TestCredentials {

    /**
     * The tenants tests open sessions in: a few named ones, and a pool ({@link #pooled}) for tests that need
     * many tenants of their own; a body naming none of them gets {@code acme}'s key.
     */
    public static final List<String> TENANTS = Stream.concat(Stream.of("acme", "globex", "other", "fuzz", "a", "b"),
            IntStream.rangeClosed(1, 64).mapToObj(TestCredentials::pooled)).toList();
    public static final String DEFAULT_TENANT = "acme";
    /** {@code tenant:sha256} entries for every test tenant. */
    public static final String PROVISIONED = TENANTS.stream()
            .map(tenant -> tenant + ":" + Definitions.sha256(key(tenant))).collect(Collectors.joining(","));

    private TestCredentials() {
    }

    /** The {@code n}th tenant of the pool (1 to 64). */
    public static String pooled(int n) {
        return "tenant-" + n;
    }

    /** The test tenant's API key (not secret: tests only). */
    public static String key(String tenant) {
        return "rpk_test_key_of_" + tenant + "_0123456789abcdef";
    }

    public static Map<String, String> auth(String tenant) {
        return Map.of("Authorization", "Bearer " + key(tenant));
    }
}
