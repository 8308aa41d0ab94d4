package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * A real FileChannel wrapped so a test can watch and steer the writer's I/O: count writes and forces,
 * make {@code force} fail, hold it until released, or record every byte written and every force that
 * completed (the power-loss simulation).
 */
final class InstrumentedChannel extends FileChannel {

    /** What every channel opened through {@link #opener} consults around opens, writes and forces. */
    interface Hooks {
        default void opened(InstrumentedChannel channel) throws IOException {
        }

        default void beforeWrite() throws IOException {
        }

        /** After a positional write: {@code bytes} holds exactly what was written at {@code position}. */
        default void written(InstrumentedChannel channel, long position, ByteBuffer bytes) {
        }

        default void beforeForce() throws IOException {
        }

        /** After a force returned: everything written through any channel of this file is durable. */
        default void forced(InstrumentedChannel channel) {
        }
    }

    private final Path path;
    private final FileChannel delegate;
    private final Hooks hooks;

    private InstrumentedChannel(Path path, FileChannel delegate, Hooks hooks) {
        this.path = path;
        this.delegate = delegate;
        this.hooks = hooks;
    }

    static ChannelOpener opener(Hooks hooks) {
        return (Path path, OpenOption... options) -> {
            InstrumentedChannel channel = new InstrumentedChannel(path, FileChannel.open(path, options), hooks);
            hooks.opened(channel);
            return channel;
        };
    }

    /** The path the channel was opened with (a segment may be renamed afterwards). */
    Path path() {
        return path;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        hooks.beforeWrite();
        ByteBuffer written = src.duplicate();
        int count = delegate.write(src, position);
        hooks.written(this, position, written.limit(written.position() + count));
        return count;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        hooks.beforeWrite();
        long position = delegate.position();
        ByteBuffer written = src.duplicate();
        int count = delegate.write(src);
        hooks.written(this, position, written.limit(written.position() + count));
        return count;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("gathering writes are not recorded; the log does not use them");
    }

    @Override
    public void force(boolean metaData) throws IOException {
        hooks.beforeForce();
        delegate.force(metaData);
        hooks.forced(this);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
