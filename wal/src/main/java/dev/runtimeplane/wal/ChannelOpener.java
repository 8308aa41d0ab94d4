package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the channels the writer writes and forces segments through. A seam for tests, which wrap the
 * real channel to make {@code force} fail or block.
 */
@FunctionalInterface
interface ChannelOpener {

    ChannelOpener FILE_CHANNEL = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
