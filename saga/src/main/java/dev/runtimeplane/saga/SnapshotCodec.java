package dev.runtimeplane.saga;

import dev.runtimeplane.core.codec.BinaryReader;
import dev.runtimeplane.core.codec.BinaryWriter;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionLabels;
import dev.runtimeplane.core.port.ExecutionRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes an {@link ExecutionSnapshot} as the opaque body of an {@link ExecutionRecord} and inside
 * journal records. The first byte is the format version; a reader rejects versions it does not know
 * instead of guessing, so a newer writer's data is never misread.
 */
final class SnapshotCodec {

    static final int FORMAT = 1;
    private static final int NONE = 255;

    private SnapshotCodec() {
    }

    static byte[] encode(ExecutionSnapshot s) {
        BinaryWriter out = new BinaryWriter(256 + s.input().length() + 64 * s.steps().size());
        out.writeByte(FORMAT)
                .writeString(s.key().tenant().value())
                .writeString(s.session().value())
                .writeString(s.key().execution().value())
                .writeString(s.definition())
                .writeInt(s.definitionVersion())
                .writeString(s.input())
                .writeString(s.idempotencyKey())
                .writeLong(s.version())
                .writeLong(s.fencingToken())
                .writeString(s.owner())
                .writeByte(s.state().ordinal())
                .writeByte(s.cause() == null ? NONE : s.cause().ordinal())
                .writeBoolean(s.cancelRequested())
                .writeString(s.error())
                .writeLong(s.createdAtMillis())
                .writeLong(s.updatedAtMillis())
                .writeLong(s.deadlineAtMillis())
                .writeInt(s.cursor())
                .writeLong(s.eventCount())
                .writeInt(s.steps().size());
        for (StepSnapshot step : s.steps()) {
            out.writeString(step.name())
                    .writeByte(step.status().ordinal())
                    .writeInt(step.attempts())
                    .writeInt(step.failures())
                    .writeInt(step.compensationAttempts())
                    .writeInt(step.compensationFailures())
                    .writeString(step.result())
                    .writeString(step.lastError())
                    .writeLong(step.retryAtMillis());
        }
        return out.toByteArray();
    }

    static ExecutionSnapshot decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes, "execution snapshot");
        int format = in.readByte();
        if (format != FORMAT) {
            throw in.corrupt("format " + format + " is not known to this version (it reads format " + FORMAT + ")");
        }
        TenantId tenant = TenantId.of(in.readString());
        SessionId session = SessionId.of(in.readString());
        ExecutionId execution = ExecutionId.of(in.readString());
        String definition = in.readString();
        int definitionVersion = in.readInt();
        String input = in.readString();
        String idempotencyKey = in.readString();
        long version = in.readLong();
        long token = in.readLong();
        String owner = in.readString();
        SagaState state = in.readEnum(SagaState.values());
        CompensationCause cause = in.readOptionalEnum(CompensationCause.values());
        boolean cancelRequested = in.readBoolean();
        String error = in.readString();
        long createdAt = in.readLong();
        long updatedAt = in.readLong();
        long deadlineAt = in.readLong();
        int cursor = in.readInt();
        long eventCount = in.readLong();
        int stepCount = in.readInt();
        if (stepCount < 1 || stepCount > 10_000 || cursor < 0 || cursor >= stepCount) {
            throw in.corrupt(stepCount + " steps with cursor " + cursor);
        }
        List<StepSnapshot> steps = new ArrayList<>(stepCount);
        for (int i = 0; i < stepCount; i++) {
            steps.add(new StepSnapshot(in.readString(), in.readEnum(StepStatus.values()), in.readInt(), in.readInt(),
                    in.readInt(), in.readInt(), in.readString(), in.readString(), in.readLong()));
        }
        in.expectEnd();
        return new ExecutionSnapshot(new ExecutionKey(tenant, execution), session, definition, definitionVersion, input,
                idempotencyKey, version, token, owner, state, cause, cancelRequested, error, createdAt, updatedAt,
                deadlineAt, cursor, eventCount, steps);
    }

    /** The state-store record for a snapshot. */
    static ExecutionRecord record(ExecutionSnapshot s) {
        return record(s, encode(s));
    }

    /** The state-store record for a snapshot already encoded as {@code body}. */
    static ExecutionRecord record(ExecutionSnapshot s, byte[] body) {
        return new ExecutionRecord(s.key().tenant(), s.session(), s.key().execution(), s.version(), s.state().name(),
                s.terminal(), new ExecutionLabels(s.definition(), s.definitionVersion(), s.owner() == null ? "" : s.owner(),
                        s.createdAtMillis(), s.updatedAtMillis()), body);
    }
}
