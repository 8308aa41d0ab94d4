package dev.runtimeplane.state;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session journal's records. SESSION carries a session as Redis holds it (after a create or a
 * touch, or carried forward), STATE a state document at its version, CLOSED that a session was
 * closed. Each names its tenant and session, so replay needs no other record to place it.
 */
final class SessionRecords {

    /** Record types in the journal (0x53 = 'S' for sessions, away from the saga's 0x5A). */
    static final int SESSION = 0x5301;
    static final int STATE = 0x5302;
    static final int CLOSED = 0x5303;
    private static final int FORMAT = 1;

    private SessionRecords() {
    }

    /** A session and the hash of its bearer token, as journaled. */
    record SessionRecord(Session session, byte[] tokenHash) {
    }

    /** A state document at its version, as journaled. */
    record StateRecord(TenantId tenant, SessionId session, StateDocument document) {
    }

    /** A STATE record's tenant, session and version, read without its document. */
    record StateHeader(TenantId tenant, SessionId session, long version) {
    }

    /** A closed session, as journaled. */
    record ClosedRecord(TenantId tenant, SessionId session) {
    }

    static JournalRecord session(Session session, byte[] tokenHash) {
        return encode(SESSION, out -> {
            writeKey(out, session.tenant(), session.id());
            out.writeUTF(session.user());
            out.writeLong(session.createdAt().toEpochMilli());
            out.writeLong(session.expiresAt().toEpochMilli());
            out.writeLong(session.ttl().toMillis());
            writeBytes(out, tokenHash);
            out.writeInt(session.metadata().size());
            for (Map.Entry<String, String> entry : session.metadata().entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeUTF(entry.getValue());
            }
        });
    }

    static JournalRecord state(TenantId tenant, SessionId session, StateDocument document) {
        return encode(STATE, out -> {
            writeKey(out, tenant, session);
            out.writeLong(document.version());
            writeBytes(out, document.json().getBytes(StandardCharsets.UTF_8));
        });
    }

    static JournalRecord closed(TenantId tenant, SessionId session) {
        return encode(CLOSED, out -> writeKey(out, tenant, session));
    }


    static SessionRecord decodeSession(JournalEntry entry) {
        return decode(entry, in -> {
            TenantId tenant = TenantId.of(in.readUTF());
            SessionId id = SessionId.of(in.readUTF());
            String user = in.readUTF();
            Instant createdAt = Instant.ofEpochMilli(in.readLong());
            Instant expiresAt = Instant.ofEpochMilli(in.readLong());
            Duration ttl = Duration.ofMillis(in.readLong());
            byte[] tokenHash = readBytes(in);
            int entries = in.readInt();
            if (entries < 0 || entries > SessionStore.MAX_METADATA_ENTRIES) {
                throw new IOException(entries + " metadata entries");
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < entries; i++) {
                metadata.put(in.readUTF(), in.readUTF());
            }
            return new SessionRecord(new Session(tenant, id, user, metadata, createdAt, expiresAt, ttl), tokenHash);
        }, true);
    }

    static StateRecord decodeState(JournalEntry entry) {
        return decode(entry, in -> new StateRecord(TenantId.of(in.readUTF()), SessionId.of(in.readUTF()),
                documentAt(in.readLong(), readBytes(in))), true);
    }

    static StateHeader decodeStateHeader(JournalEntry entry) {
        return decode(entry, in -> new StateHeader(TenantId.of(in.readUTF()), SessionId.of(in.readUTF()), in.readLong()),
                false);
    }

    static ClosedRecord decodeClosed(JournalEntry entry) {
        return decode(entry, in -> new ClosedRecord(TenantId.of(in.readUTF()), SessionId.of(in.readUTF())), true);
    }

    private static StateDocument documentAt(long version, byte[] json) {
        return new StateDocument(new String(json, StandardCharsets.UTF_8), version);
    }

    private static void writeKey(DataOutputStream out, TenantId tenant, SessionId session) throws IOException {
        out.writeUTF(tenant.value());
        out.writeUTF(session.value());
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a field of " + length + " bytes runs past the record");
        }
        return in.readNBytes(length);
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static JournalRecord encode(int type, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return new JournalRecord(type, bytes.toByteArray());
    }

    /** Decodes a record; a record that does not decode is a defect or damage the WAL's checksum missed. */
    private static <T> T decode(JournalEntry entry, Reader<T> reader, boolean whole) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry.payload()))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IOException("format " + format + " is not known to this version");
            }
            T value = reader.read(in);
            if (whole && in.available() > 0) {
                throw new IOException(in.available() + " bytes after the record's end");
            }
            return value;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("session journal record " + entry.sequence() + " (type 0x"
                    + Integer.toHexString(entry.type()) + ") is damaged: " + e.getMessage(), e);
        }
    }
}
