package dev.runtimeplane.state;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Bearer tokens of the form {@code <tenant>.<session>.<secret>}, the secret being 32 random bytes
 * (256 bits) in base64url. The public part says where the session is, so resolving a token is one
 * read with no index and no scan; the store keeps only the SHA-256 of the whole token and compares
 * it in constant time. Neither ids nor base64url contain '.', so the form is unambiguous.
 */
final class SessionTokens {

    static final int SECRET_BYTES = 32;
    /** Two ids of at most 64 characters, two dots and a 43-character secret fit well within this. */
    private static final int MAX_TOKEN_LENGTH = 256;

    private SessionTokens() {
    }

    /** The tenant and session a token claims to belong to (not yet verified). */
    record Claim(TenantId tenant, SessionId session) {
    }

    static String issue(TenantId tenant, SessionId session) {
        return issue(tenant, session, Ids.randomToken(SECRET_BYTES));
    }

    /** A token with a given secret part (base64url of 32 bytes): see {@link SessionCreateBinding#token}. */
    static String issue(TenantId tenant, SessionId session, String secret) {
        return tenant.value() + "." + session.value() + "." + secret;
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** The claim of a well-formed token; empty for anything else (never an exception: tokens are untrusted). */
    static Optional<Claim> parse(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[2].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Claim(TenantId.of(parts[0]), SessionId.of(parts[1])));
        } catch (InvalidArgumentException e) {
            return Optional.empty();
        }
    }

    /** Constant-time comparison of the token's hash with the stored one. */
    static boolean matches(String token, byte[] storedHash) {
        return storedHash != null && MessageDigest.isEqual(hash(token), storedHash);
    }
}
