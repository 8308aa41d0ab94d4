package dev.runtimeplane.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runtimeplane.core.port.JournalEntry;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;

/** Shared helpers of the WAL tests: recognisable payloads and whole-log reads. */
final class WalFixtures {

    private WalFixtures() {
    }

    /**
     * A payload that identifies who wrote it and checks itself: writer id, counter, position in its batch,
     * batch size, then filler bytes derived from the first four.
     */
    static byte[] payload(int writer, int counter, int index, int batchSize, int length) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.max(length, 16));
        bytes.putInt(writer).putInt(counter).putInt(index).putInt(batchSize);
        while (bytes.hasRemaining()) {
            bytes.put(filler(writer, counter, index, bytes.position()));
        }
        return bytes.array();
    }

    /** Checks a payload made by {@link #payload} byte for byte and returns its four ids. */
    static int[] checkPayload(byte[] payload) {
        ByteBuffer bytes = ByteBuffer.wrap(payload);
        int writer = bytes.getInt();
        int counter = bytes.getInt();
        int index = bytes.getInt();
        int batchSize = bytes.getInt();
        assertArrayEquals(payload(writer, counter, index, batchSize, payload.length), payload,
                "payload of writer " + writer + " counter " + counter + " is damaged");
        return new int[] {writer, counter, index, batchSize};
    }

    private static byte filler(int writer, int counter, int index, int position) {
        return (byte) (writer * 31 + counter * 17 + index * 7 + position);
    }

    static List<JournalEntry> readAll(WriteAheadLog log, long from) {
        try (Stream<JournalEntry> entries = log.replay(from)) {
            return entries.toList();
        }
    }

    /** Asserts the entries carry consecutive sequences starting at {@code first}. */
    static void assertConsecutive(List<JournalEntry> entries, long first) {
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(first + i, entries.get(i).sequence(), "sequence at position " + i);
        }
    }
}
