package dev.runtimeplane.service.auth;

import dev.runtimeplane.core.id.TenantId;
import java.time.Instant;

/**
 * One tenant API key as stored: never the key, only its SHA-256. The id (the hash's first 16 hex digits) names it
 * in listings and revocations without revealing it; whoever holds a key can compute it. A revoked key stays
 * recorded, so provisioning the same hash again cannot bring it back.
 *
 * @param origin how it was provisioned: {@code admin}, {@code config} (file or environment) or {@code dev}
 */
public record ApiKey(String sha256, TenantId tenant, Instant createdAt, Instant revokedAt, String origin) {

    private static final String NOT_REVOKED = "-";

    public String id() {
        return sha256.substring(0, 16);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    ApiKey revokedAt(Instant when) {
        return revoked() ? this : new ApiKey(sha256, tenant, createdAt, when, origin);
    }

    /** The later of two records of one key: a revocation wins, it is never undone. */
    ApiKey merge(ApiKey other) {
        return revoked() || !other.revoked() ? this : other;
    }

    /** The stored form (Redis value, journal text): tenant, created, revoked or '-', origin; space-separated. */
    String encode() {
        return tenant.value() + " " + createdAt + " " + (revoked() ? revokedAt.toString() : NOT_REVOKED) + " " + origin;
    }

    static ApiKey decode(String sha256, String record) {
        String[] parts = record.split(" ");
        if (parts.length != 4) {
            throw new IllegalArgumentException("malformed API key record for " + sha256.substring(0, 16));
        }
        return new ApiKey(sha256, TenantId.of(parts[0]), Instant.parse(parts[1]),
                NOT_REVOKED.equals(parts[2]) ? null : Instant.parse(parts[2]), parts[3]);
    }
}
