package dev.runtimeplane.saga;

import dev.runtimeplane.core.codec.BinaryReader;
import dev.runtimeplane.core.codec.BinaryWriter;
import dev.runtimeplane.core.port.JournalEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordinator's journal records. A TRANSITION record carries the full snapshot after the
 * transition plus the events it added (so recovery needs only the latest record of an execution,
 * plus the events the store may lack). A FLOOR record notes the sequence the coordinator
 * had as its floor: records before it are already safe in the state store.
 */
final class JournalCodec {

    /** Record types in the journal (0x5A = 'Z' for saga, away from other components' types). */
    static final int TRANSITION = 0x5A01;
    static final int FLOOR = 0x5A02;
    private static final int FORMAT = 1;

    private JournalCodec() {
    }

    static byte[] encodeTransition(ExecutionSnapshot snapshot, List<byte[]> events) {
        return encodeTransition(SnapshotCodec.encode(snapshot), events);
    }

    /** A TRANSITION payload from an already encoded snapshot {@code body}. */
    static byte[] encodeTransition(byte[] body, List<byte[]> events) {
        int size = body.length + 9;
        for (byte[] event : events) {
            size += event.length + 4;
        }
        BinaryWriter out = new BinaryWriter(size);
        out.writeByte(FORMAT).writeBytes(body).writeInt(events.size());
        for (byte[] event : events) {
            out.writeBytes(event);
        }
        return out.toByteArray();
    }

    static DecodedTransition decodeTransition(JournalEntry entry) {
        BinaryReader in = new BinaryReader(entry.payload(), "saga journal record " + entry.sequence());
        int format = in.readByte();
        if (format != FORMAT) {
            throw in.corrupt("format " + format + " is not known to this version");
        }
        ExecutionSnapshot snapshot = SnapshotCodec.decode(in.readBytes());
        int count = in.readInt();
        if (count < 0 || count > 10_000) {
            throw in.corrupt(count + " events");
        }
        List<byte[]> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(in.readBytes());
        }
        in.expectEnd();
        return new DecodedTransition(entry.sequence(), snapshot, events);
    }

    static byte[] encodeFloor(long sequence) {
        return new BinaryWriter(9).writeByte(FORMAT).writeLong(sequence).toByteArray();
    }

    static long decodeFloor(JournalEntry entry) {
        BinaryReader in = new BinaryReader(entry.payload(), "saga floor record " + entry.sequence());
        int format = in.readByte();
        if (format != FORMAT) {
            throw in.corrupt("format " + format + " is not known to this version");
        }
        long sequence = in.readLong();
        in.expectEnd();
        return sequence;
    }

    /** A transition read back: its journal sequence, the snapshot, and the encoded events. */
    record DecodedTransition(long sequence, ExecutionSnapshot snapshot, List<byte[]> events) {
    }
}
