package dev.runtimeplane.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer for journal record codecs (saga, session journal) (the layout of {@code DataOutputStream}): fixed-width
 * numbers, nullable strings and length-prefixed bytes.
 */
public final class BinaryWriter {

    private byte[] bytes;
    private int size;

    public BinaryWriter(int expectedSize) {
        this.bytes = new byte[Math.max(16, expectedSize)];
    }

    public BinaryWriter writeByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    public BinaryWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    public BinaryWriter writeInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    public BinaryWriter writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** A string that may be null: a presence flag, then the UTF-8 length and bytes. */
    public BinaryWriter writeString(String value) {
        if (value == null) {
            return writeBoolean(false);
        }
        writeBoolean(true);
        return writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public BinaryWriter writeBytes(byte[] value) {
        writeInt(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
