package dev.runtimeplane.state;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;

/**
 * Keys as UTF-8 strings, values as raw bytes, written straight into the connection's buffer. What
 * {@code RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)} does, minus a {@link ByteBuffer} wrapper and
 * a copy per argument: Lettuce only writes arguments directly when the codec itself is a
 * {@link ToByteBufEncoder}, and the encoding runs on the connection's one I/O thread, which every command of
 * the replica passes through.
 */
final class WireCodec implements RedisCodec<String, byte[]>, ToByteBufEncoder<String, byte[]> {

    static final WireCodec INSTANCE = new WireCodec();

    private WireCodec() {
    }

    @Override
    public void encodeKey(String key, ByteBuf target) {
        if (key != null) {
            ByteBufUtil.writeUtf8(target, key);
        }
    }

    @Override
    public void encodeValue(byte[] value, ByteBuf target) {
        if (value != null) {
            target.writeBytes(value);
        }
    }

    /** Exact (a key's UTF-8 length is counted), so Lettuce writes each argument once, without a scratch buffer. */
    @Override
    public int estimateSize(Object keyOrValue) {
        if (keyOrValue instanceof byte[] bytes) {
            return bytes.length;
        }
        return keyOrValue == null ? 0 : ByteBufUtil.utf8Bytes((CharSequence) keyOrValue);
    }

    @Override
    public boolean isEstimateExact() {
        return true;
    }

    @Override
    public String decodeKey(ByteBuffer bytes) {
        return StringCodec.UTF8.decodeKey(bytes);
    }

    @Override
    public byte[] decodeValue(ByteBuffer bytes) {
        return ByteArrayCodec.INSTANCE.decodeValue(bytes);
    }

    @Override
    public ByteBuffer encodeKey(String key) {
        return StringCodec.UTF8.encodeKey(key);
    }

    @Override
    public ByteBuffer encodeValue(byte[] value) {
        return ByteArrayCodec.INSTANCE.encodeValue(value);
    }
}
