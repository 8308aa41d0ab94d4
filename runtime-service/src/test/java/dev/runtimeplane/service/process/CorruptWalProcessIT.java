package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.testkit.RedisTestKit;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A WAL whose acknowledged records were damaged (a flipped byte in an early record, many acknowledged
 * records after it) stops the service: exit code 1 and a log that names the file, never a replica that
 * serves without its log. While it is failing, no probe calls it ready, and once the failure is known
 * liveness answers 503 too.
 */
class CorruptWalProcessIT {

    @Test
    void damagedAcknowledgedRecordsStopTheStartWithAClearMessage() throws Exception {
        Map<String, String> environment = Map.of("REDIS_URI", RedisTestKit.shared().uri(),
                "RUNTIME_REDIS_KEY_PREFIX", "corrupt-" + System.nanoTime());
        ServiceProcess first = ServiceProcess.start(environment);
        Path segment;
        try (first) {
            first.awaitReady(Duration.ofSeconds(60));
            ApiClient api = first.api();
            for (int i = 0; i < 40; i++) {
                api.openSession("acme"); // one journaled, acknowledged session create each
            }
            first.sigterm();
            assertEquals(0, first.awaitExit(Duration.ofSeconds(60)), first.log());
            Path wal = first.walDirectory();
            try (Stream<Path> files = Files.list(wal)) {
                segment = files.filter(file -> file.getFileName().toString().endsWith(".wal")).sorted().findFirst().orElseThrow();
            }
        }
        flipByte(segment, 32 + 28 + 4); // inside the first record's payload

        try (ServiceProcess second = first.restart()) {
            List<Integer> ready = new ArrayList<>();
            List<Integer> live = new ArrayList<>();
            while (second.process().isAlive()) {
                ready.add(ServiceProcess.status(second.management("/health/ready"), Duration.ofSeconds(5)));
                live.add(ServiceProcess.status(second.management("/health/live"), Duration.ofSeconds(5)));
            }
            assertEquals(1, second.awaitExit(Duration.ofSeconds(60)), second.log());
            String log = second.log();
            assertTrue(log.contains(segment.getFileName().toString()), "the log names the damaged file:\n" + log);
            assertFalse(ready.contains(200), "a replica with a damaged log was called ready: " + ready);
            int firstNotLive = live.indexOf(503);
            assertTrue(firstNotLive < 0 || live.subList(firstNotLive, live.size()).stream().noneMatch(status -> status == 200),
                    "liveness went back to 200 after the failure was known: " + live);
        }
    }

    private static void flipByte(Path file, long offset) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.flip();
            byte flipped = (byte) (one.get(0) ^ 0x5A);
            channel.write(ByteBuffer.wrap(new byte[] {flipped}), offset);
            channel.force(true);
        }
    }
}
