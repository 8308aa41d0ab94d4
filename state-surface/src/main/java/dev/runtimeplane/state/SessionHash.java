package dev.runtimeplane.state;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a session is stored in its Redis hash: {@code user}, {@code created}, {@code expires} and
 * {@code ttl} (epoch milliseconds / milliseconds), {@code token} (SHA-256 of the bearer token, raw
 * bytes), {@code index} (its member in the tenant's index) and one {@code m:<key>} field per
 * metadata entry.
 */
final class SessionHash {

    static final String USER = "user";
    static final String CREATED = "created";
    static final String EXPIRES = "expires";
    static final String TTL = "ttl";
    static final String TOKEN = "token";
    static final String INDEX = "index";
    static final String METADATA_PREFIX = "m:";

    private SessionHash() {
    }

    /** The member that lists a session in its tenant's index: creation time first, so pages go oldest first. */
    static String indexMember(Session session) {
        return String.format("%015d:%s", session.createdAt().toEpochMilli(), session.id().value());
    }

    static SessionId sessionOfIndexMember(String member) {
        return SessionId.of(member.substring(member.indexOf(':') + 1));
    }

    /** The hash's field/value pairs, in HSET argument order. */
    static List<byte[]> fields(Session session, byte[] tokenHash) {
        List<byte[]> fields = new ArrayList<>();
        add(fields, USER, text(session.user()));
        add(fields, CREATED, number(session.createdAt().toEpochMilli()));
        add(fields, EXPIRES, number(session.expiresAt().toEpochMilli()));
        add(fields, TTL, number(session.ttl().toMillis()));
        add(fields, TOKEN, tokenHash);
        add(fields, INDEX, text(indexMember(session)));
        session.metadata().forEach((key, value) -> add(fields, METADATA_PREFIX + key, text(value)));
        return fields;
    }

    static Session session(TenantId tenant, SessionId id, Map<String, byte[]> hash) {
        Map<String, String> metadata = new LinkedHashMap<>();
        hash.forEach((field, value) -> {
            if (field.startsWith(METADATA_PREFIX)) {
                metadata.put(field.substring(METADATA_PREFIX.length()), string(value));
            }
        });
        return new Session(tenant, id, string(hash.get(USER)), metadata,
                Instant.ofEpochMilli(longValue(hash.get(CREATED))),
                Instant.ofEpochMilli(longValue(hash.get(EXPIRES))),
                Duration.ofMillis(longValue(hash.get(TTL))));
    }

    private static void add(List<byte[]> fields, String field, byte[] value) {
        fields.add(text(field));
        fields.add(value);
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] number(long value) {
        return text(Long.toString(value));
    }

    private static String string(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private static long longValue(byte[] value) {
        return Long.parseLong(string(value));
    }
}
