package dev.runtimeplane.state;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a session-create Idempotency-Key is bound to: the session's id, creation time and TTL (so a retry
 * makes exactly the same session), the request's fingerprint (a different request under the same key is
 * refused), and a random nonce from which the bearer token is derived as
 * {@code HMAC-SHA256(server secret, tenant, session, nonce)}. The token itself is never stored: Redis
 * holds only the nonce here and the token's SHA-256 in the session, so neither Redis nor the secret alone
 * gives a token away, and a retry on any replica that shares the secret gets the same token back.
 */
record SessionCreateBinding(SessionId session, Instant createdAt, Duration ttl, String fingerprint, byte[] nonce) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 32;

    static SessionCreateBinding fresh(String fingerprint, Instant createdAt, Duration ttl) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return new SessionCreateBinding(SessionId.generate(), createdAt, ttl, fingerprint, nonce);
    }

    /** A request's fingerprint: user, metadata (in key order) and TTL, each length-prefixed, hashed. */
    static String fingerprint(String user, Map<String, String> metadata, Duration ttl) {
        StringBuilder canonical = new StringBuilder();
        append(canonical, user);
        new TreeMap<>(metadata).forEach((key, value) -> append(append(canonical, key), value));
        append(canonical, Long.toString(ttl.toMillis()));
        return HexFormat.of().formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The bearer token of the session made under this binding, derived with {@code secret}. */
    String token(TenantId tenant, byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(("session-token\0" + tenant.value() + "\0" + session.value() + "\0").getBytes(StandardCharsets.UTF_8));
            byte[] tokenSecret = mac.doFinal(nonce);
            return SessionTokens.issue(tenant, session, Base64.getUrlEncoder().withoutPadding().encodeToString(tokenSecret));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JVM has HmacSHA256 and any key length suits it", e);
        }
    }

    /** The binding's hash fields, in HSET argument order. */
    List<byte[]> fields() {
        List<byte[]> fields = new ArrayList<>();
        add(fields, "session", session.value());
        add(fields, "created", Long.toString(createdAt.toEpochMilli()));
        add(fields, "ttl", Long.toString(ttl.toMillis()));
        add(fields, "fingerprint", fingerprint);
        fields.add(bytes("nonce"));
        fields.add(nonce.clone());
        return fields;
    }

    static SessionCreateBinding of(Map<String, byte[]> hash) {
        return new SessionCreateBinding(SessionId.of(text(hash.get("session"))),
                Instant.ofEpochMilli(Long.parseLong(text(hash.get("created")))),
                Duration.ofMillis(Long.parseLong(text(hash.get("ttl")))), text(hash.get("fingerprint")), hash.get("nonce"));
    }

    /** Never prints the nonce: with the server secret it gives the token. */
    @Override
    public String toString() {
        return "SessionCreateBinding[session=" + session + ", createdAt=" + createdAt + ", ttl=" + ttl + "]";
    }

    private static StringBuilder append(StringBuilder canonical, String value) {
        return canonical.append(value.length()).append(':').append(value);
    }

    private static void add(List<byte[]> fields, String field, String value) {
        fields.add(bytes(field));
        fields.add(bytes(value));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
