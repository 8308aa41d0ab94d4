package dev.runtimeplane.core.codec;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads what {@link BinaryWriter} wrote; malformed input fails with a CORRUPTION error naming {@code what}. */
public final class BinaryReader {

    private final ByteBuffer buffer;
    private final String what;

    public BinaryReader(byte[] bytes, String what) {
        this.buffer = ByteBuffer.wrap(bytes);
        this.what = what;
    }

    public int readByte() {
        try {
            return buffer.get() & 0xFF;
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public int readInt() {
        try {
            return buffer.getInt();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public long readLong() {
        try {
            return buffer.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public String readString() {
        return readBoolean() ? new String(readBytes(), StandardCharsets.UTF_8) : null;
    }

    public byte[] readBytes() {
        int length = readInt();
        if (length < 0 || length > buffer.remaining()) {
            throw corrupt("a length of " + length + " runs past the end (" + buffer.remaining() + " bytes left)");
        }
        byte[] value = new byte[length];
        buffer.get(value);
        return value;
    }

    /** Reads an enum constant by ordinal. */
    public <E extends Enum<E>> E readEnum(E[] values) {
        int ordinal = readByte();
        if (ordinal >= values.length) {
            throw corrupt("unknown " + values[0].getDeclaringClass().getSimpleName() + " " + ordinal);
        }
        return values[ordinal];
    }

    /** Reads an enum constant that may be absent (written as 255). */
    public <E extends Enum<E>> E readOptionalEnum(E[] values) {
        int ordinal = readByte();
        if (ordinal == 255) {
            return null;
        }
        if (ordinal >= values.length) {
            throw corrupt("unknown " + values[0].getDeclaringClass().getSimpleName() + " " + ordinal);
        }
        return values[ordinal];
    }

    public void expectEnd() {
        if (buffer.hasRemaining()) {
            throw corrupt(buffer.remaining() + " unexpected trailing bytes");
        }
    }

    public RuntimePlaneException corrupt(String detail) {
        return new RuntimePlaneException(ErrorCode.CORRUPTION, what + " is malformed: " + detail);
    }

    private RuntimePlaneException truncated() {
        return corrupt("it ends early");
    }
}
