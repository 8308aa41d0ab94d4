package dev.runtimeplane.saga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.JournalEntry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {

    private static final SagaDefinition DEF = SagaDefinition.builder("d", 3)
            .step("a", ctx -> "x", ctx -> { })
            .step("b", ctx -> "y")
            .build();
    private static final ExecutionKey KEY = new ExecutionKey(TenantId.of("t"), ExecutionId.of("e"));

    private static ExecutionSnapshot sample() {
        Transition start = SagaStateMachine.start(DEF, new SagaOwner(TenantId.of("t"), SessionId.of("s")), KEY,
                "{\"ü\":1}", null, "r", 123);
        ExecutionSnapshot s = SagaStateMachine.stepSucceeded(start.next(), DEF, "résultat", 200).next();
        return SagaStateMachine.stepFailed(s, DEF, "err", true, CompensationCause.STEP_FAILED, 300).next();
    }

    @Test
    void snapshotsRoundTrip() {
        ExecutionSnapshot s = sample();
        ExecutionSnapshot back = SnapshotCodec.decode(SnapshotCodec.encode(s));
        assertEquals(s, back);
        assertEquals(CompensationCause.STEP_FAILED, back.cause());
        assertEquals("résultat", back.step(0).result());
    }

    @Test
    void eventsRoundTrip() {
        SagaEvent e = new SagaEvent(5, SagaEventType.STEP_FAILED, Instant.ofEpochMilli(77), SagaState.RUNNING, "a", 2,
                "boom", Instant.ofEpochMilli(99), null);
        assertEquals(e, EventCodec.decode(EventCodec.encode(e)));
        SagaEvent bare = new SagaEvent(0, SagaEventType.STARTED, Instant.ofEpochMilli(1), SagaState.RUNNING, null, 0,
                null, null, null);
        assertEquals(bare, EventCodec.decode(EventCodec.encode(bare)));
        SagaEvent action = new SagaEvent(7, SagaEventType.ADMIN_ACTION, Instant.ofEpochMilli(2), SagaState.RESOLVED, null,
                0, "resolve: refunded by hand", null, "admin:alice");
        assertEquals(bare, EventCodec.decode(EventCodec.encode(bare)));
    }

    @Test
    void journalRecordsCarryTheSnapshotAndItsEvents() {
        byte[] event = EventCodec.encode(new SagaEvent(0, SagaEventType.STARTED, Instant.EPOCH, SagaState.RUNNING,
                null, 0, null, null, null));
        byte[] payload = JournalCodec.encodeTransition(sample(), List.of(event));
        JournalCodec.DecodedTransition decoded = JournalCodec.decodeTransition(
                new JournalEntry(42, JournalCodec.TRANSITION, 0, payload));
        assertEquals(42, decoded.sequence());
        assertEquals(sample(), decoded.snapshot());
        assertArrayEquals(event, decoded.events().getFirst());
        assertEquals(17, JournalCodec.decodeFloor(
                new JournalEntry(1, JournalCodec.FLOOR, 0, JournalCodec.encodeFloor(17))));
    }

    @Test
    void anUnknownFormatIsRejectedNotGuessed() {
        byte[] bytes = SnapshotCodec.encode(sample());
        bytes[0] = 9;
        RuntimePlaneException e = assertThrows(RuntimePlaneException.class, () -> SnapshotCodec.decode(bytes));
        assertEquals(ErrorCode.CORRUPTION, e.code());
    }

    @Test
    void truncatedOrPaddedBytesAreCorruption() {
        byte[] bytes = SnapshotCodec.encode(sample());
        assertEquals(ErrorCode.CORRUPTION, assertThrows(RuntimePlaneException.class,
                () -> SnapshotCodec.decode(Arrays.copyOf(bytes, bytes.length - 3))).code());
        assertEquals(ErrorCode.CORRUPTION, assertThrows(RuntimePlaneException.class,
                () -> SnapshotCodec.decode(Arrays.copyOf(bytes, bytes.length + 1))).code());
    }
}
