package dev.runtimeplane.wal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class from the test classpath. Its stdout lines are collected by a reader
 * thread; stderr goes to this JVM's stderr.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon(true).name("child-stdout").start(this::readLines);
    }

    static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java",
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The child was killed mid-line; what was read is kept.
        }
    }

    /** Waits for a line equal to {@code expected}, returning false on timeout or when the child ends first. */
    boolean awaitLine(String expected, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(10, TimeUnit.MILLISECONDS);
            if (line != null) {
                if (line.equals(expected)) {
                    lines.addAll(seen);
                    return true;
                }
                seen.add(line);
            } else if (!process.isAlive() && !reader.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        lines.addAll(seen);
        return false;
    }

    /** SIGKILL, then waits for the process and for its last stdout lines. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Every stdout line received so far. */
    List<String> drainLines() {
        List<String> drained = new ArrayList<>();
        lines.drainTo(drained);
        return drained;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the child if it is still running. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
