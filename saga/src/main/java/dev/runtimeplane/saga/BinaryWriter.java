package dev.runtimeplane.saga;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer for the codecs (the layout of {@code DataOutputStream}): fixed-width
 * numbers, nullable strings and length-prefixed bytes.
 */
final class BinaryWriter {

    private byte[] bytes;
    private int size;

    BinaryWriter(int expectedSize) {
        this.bytes = new byte[Math.max(16, expectedSize)];
    }

    BinaryWriter writeByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    BinaryWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    BinaryWriter writeInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    BinaryWriter writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** A string that may be null: a presence flag, then the UTF-8 length and bytes. */
    BinaryWriter writeString(String value) {
        if (value == null) {
            return writeBoolean(false);
        }
        writeBoolean(true);
        return writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    BinaryWriter writeBytes(byte[] value) {
        writeInt(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
