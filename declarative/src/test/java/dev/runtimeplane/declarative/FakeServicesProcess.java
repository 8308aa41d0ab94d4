package dev.runtimeplane.declarative;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example's {@code examples/order-flow/FakeServices.java}, run as a real process the way the README runs
 * it ({@code java FakeServices.java}), on free ports; its stdout lines are collected.
 */
final class FakeServicesProcess implements AutoCloseable {

    /** The example's directory, found from the module's working directory. */
    static final Path EXAMPLE = locateExample();

    private static final Pattern LISTENING = Pattern.compile("(\\w+) +listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();

    /** Starts the services with {@code environment} added; returns once all three listen. */
    FakeServicesProcess(Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                EXAMPLE.resolve("FakeServices.java").toString(), "0", "0", "0").redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        Thread.ofPlatform().daemon().name("fake-services-output").start(this::collect);
        awaitLine(line -> line.endsWith("ready (Ctrl-C stops)"));
    }

    private void collect() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    ports.put(listening.group(1), Integer.parseInt(listening.group(2)));
                }
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output closed: " + e.getMessage() + ")");
        }
    }

    /** {@code http://127.0.0.1:<port>} of {@code stock}, {@code payments} or {@code shipping}. */
    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    int port(String service) {
        return ports.get(service);
    }

    /** Waits (generously) until {@code count} lines match, and returns the matching lines in order. */
    List<String> awaitLines(Predicate<String> matching, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            List<String> found = lines.stream().filter(matching).toList();
            if (found.size() >= count) {
                return found;
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("expected " + count + " matching lines from FakeServices, got " + found
                        + "; all output: " + String.join("\n", lines));
            }
            Thread.sleep(20);
        }
    }

    String awaitLine(Predicate<String> matching) throws InterruptedException {
        return awaitLines(matching, 1).getFirst();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static Path locateExample() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path example = dir.resolve("examples/order-flow");
            if (Files.isRegularFile(example.resolve("FakeServices.java"))) {
                return example;
            }
        }
        throw new UncheckedIOException(new IOException("examples/order-flow not found above " + Path.of("").toAbsolutePath()));
    }
}
