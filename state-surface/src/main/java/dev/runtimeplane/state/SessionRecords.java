package dev.runtimeplane.state;

import dev.runtimeplane.core.codec.BinaryReader;
import dev.runtimeplane.core.codec.BinaryWriter;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
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
    /** CLOSED records since they carry until when the session would have lived; format 1 ones do not. */
    private static final int CLOSED_FORMAT = 2;

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

    /**
     * A closed session, as journaled: {@code until} is when it would have expired, so how long its
     * tombstone must last; null in records written before it was journaled.
     */
    record ClosedRecord(TenantId tenant, SessionId session, Instant until) {
    }

    static JournalRecord session(Session session, byte[] tokenHash) {
        BinaryWriter out = header(session.tenant(), session.id())
                .writeString(session.user())
                .writeLong(session.createdAt().toEpochMilli())
                .writeLong(session.expiresAt().toEpochMilli())
                .writeLong(session.ttl().toMillis())
                .writeBytes(tokenHash)
                .writeInt(session.metadata().size());
        session.metadata().forEach((key, value) -> out.writeString(key).writeString(value));
        return new JournalRecord(SESSION, out.toByteArray());
    }

    static JournalRecord state(TenantId tenant, SessionId session, StateDocument document) {
        return new JournalRecord(STATE, header(tenant, session)
                .writeLong(document.version())
                .writeString(document.json())
                .toByteArray());
    }

    static JournalRecord closed(TenantId tenant, SessionId session, Instant until) {
        return new JournalRecord(CLOSED, new BinaryWriter(256).writeByte(CLOSED_FORMAT).writeString(tenant.value())
                .writeString(session.value()).writeLong(until.toEpochMilli()).toByteArray());
    }

    static SessionRecord decodeSession(JournalEntry entry) {
        BinaryReader in = reader(entry);
        TenantId tenant = TenantId.of(in.readString());
        SessionId id = SessionId.of(in.readString());
        String user = in.readString();
        Instant createdAt = Instant.ofEpochMilli(in.readLong());
        Instant expiresAt = Instant.ofEpochMilli(in.readLong());
        Duration ttl = Duration.ofMillis(in.readLong());
        byte[] tokenHash = in.readBytes();
        int entries = in.readInt();
        if (entries < 0 || entries > SessionStore.MAX_METADATA_ENTRIES) {
            throw in.corrupt(entries + " metadata entries");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            metadata.put(in.readString(), in.readString());
        }
        in.expectEnd();
        return new SessionRecord(new Session(tenant, id, user, metadata, createdAt, expiresAt, ttl), tokenHash);
    }

    static StateRecord decodeState(JournalEntry entry) {
        BinaryReader in = reader(entry);
        TenantId tenant = TenantId.of(in.readString());
        SessionId session = SessionId.of(in.readString());
        long version = in.readLong();
        StateRecord record = new StateRecord(tenant, session, new StateDocument(in.readString(), version));
        in.expectEnd();
        return record;
    }

    /** The tenant, session and version of a STATE record, without reading its document. */
    static StateHeader decodeStateHeader(JournalEntry entry) {
        BinaryReader in = reader(entry);
        return new StateHeader(TenantId.of(in.readString()), SessionId.of(in.readString()), in.readLong());
    }

    static ClosedRecord decodeClosed(JournalEntry entry) {
        BinaryReader in = new BinaryReader(entry.payload(), "session journal record " + entry.sequence());
        int format = in.readByte();
        if (format != FORMAT && format != CLOSED_FORMAT) {
            throw in.corrupt("format " + format + " is not known to this version");
        }
        TenantId tenant = TenantId.of(in.readString());
        SessionId session = SessionId.of(in.readString());
        Instant until = format == CLOSED_FORMAT ? Instant.ofEpochMilli(in.readLong()) : null;
        in.expectEnd();
        return new ClosedRecord(tenant, session, until);
    }

    private static BinaryWriter header(TenantId tenant, SessionId session) {
        return new BinaryWriter(256).writeByte(FORMAT).writeString(tenant.value()).writeString(session.value());
    }

    /** A reader past the format byte; a record that does not decode is damage the WAL's checksum missed, or a defect. */
    private static BinaryReader reader(JournalEntry entry) {
        BinaryReader in = new BinaryReader(entry.payload(), "session journal record " + entry.sequence());
        int format = in.readByte();
        if (format != FORMAT) {
            throw in.corrupt("format " + format + " is not known to this version");
        }
        return in;
    }
}
