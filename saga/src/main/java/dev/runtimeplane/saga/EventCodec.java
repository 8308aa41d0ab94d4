package dev.runtimeplane.saga;

import dev.runtimeplane.core.codec.BinaryReader;
import dev.runtimeplane.core.codec.BinaryWriter;
import java.time.Instant;

/**
 * Encodes one {@link SagaEvent} as an entry of the state store's history; first byte = format version.
 * Format 2 added the actor at the end; format 1 entries (written before) are still read.
 */
final class EventCodec {

    static final int FORMAT = 2;
    private static final int FORMAT_WITHOUT_ACTOR = 1;

    private EventCodec() {
    }

    static byte[] encode(SagaEvent e) {
        return new BinaryWriter(128)
                .writeByte(FORMAT)
                .writeLong(e.index())
                .writeByte(e.type().ordinal())
                .writeLong(e.at().toEpochMilli())
                .writeByte(e.state().ordinal())
                .writeString(e.step())
                .writeInt(e.attempt())
                .writeString(e.detail())
                .writeLong(e.retryAt() == null ? 0 : e.retryAt().toEpochMilli())
                .writeString(e.actor())
                .toByteArray();
    }

    static SagaEvent decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes, "saga event");
        int format = in.readByte();
        if (format != FORMAT && format != FORMAT_WITHOUT_ACTOR) {
            throw in.corrupt("format " + format + " is not known to this version (it reads format " + FORMAT + ")");
        }
        long index = in.readLong();
        SagaEventType type = in.readEnum(SagaEventType.values());
        Instant at = Instant.ofEpochMilli(in.readLong());
        SagaState state = in.readEnum(SagaState.values());
        String step = in.readString();
        int attempt = in.readInt();
        String detail = in.readString();
        long retryAt = in.readLong();
        String actor = format == FORMAT ? in.readString() : null;
        in.expectEnd();
        return new SagaEvent(index, type, at, state, step, attempt, detail, retryAt == 0 ? null : Instant.ofEpochMilli(retryAt),
                actor);
    }
}
