package dev.runtimeplane.saga.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A child JVM running a test main with this JVM's class path; its output lines are collected. */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("child-output-" + process.pid()).start(this::pump);
    }

    static ChildJvm start(Class<?> main, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process = builder.start();
        ChildJvm child = new ChildJvm(process);
        child.lines.add("# log " + log);
        return child;
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("# output closed: " + e);
        }
    }

    /** Waits until a line starting with {@code prefix} appears; false when the child exits or time runs out first. */
    boolean awaitLine(String prefix, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
                return true;
            }
            if (!process.isAlive() && lines.stream().noneMatch(l -> l.startsWith(prefix))) {
                Thread.sleep(50);
                return lines.stream().anyMatch(l -> l.startsWith(prefix));
            }
            Thread.sleep(10);
        }
        return false;
    }

    List<String> lines() {
        return lines;
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not exit within " + timeoutMillis + " ms; output:\n" + tail());
        }
        return process.exitValue();
    }

    String tail() {
        List<String> copy = new ArrayList<>(lines);
        return String.join("\n", copy.subList(Math.max(0, copy.size() - 40), copy.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
