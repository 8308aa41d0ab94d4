package dev.runtimeplane.saga.process;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An append-only file of lines that steps write to record that they ran. Each line is written with one
 * unbuffered write, so it is in the file (the page cache) as soon as the step returns, even if the
 * process is killed a moment later.
 */
final class SideEffects implements AutoCloseable {

    private final FileOutputStream out;

    SideEffects(Path file) {
        try {
            this.out = new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void line(String text) {
        try {
            out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
