package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.testkit.FreePorts;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code redis-sentinel://} URI finds the master through a real Sentinel process. */
class SentinelTest {

    @TempDir
    Path directory;

    @Test
    void connectsToTheMasterThatSentinelNames() throws Exception {
        try (RedisServer master = RedisTestKit.startServer()) {
            int sentinelPort = FreePorts.any();
            Process sentinel = startSentinel(sentinelPort, master.port());
            try (StateSurface surface = new StateSurface(StateSurfaceOptions.builder()
                    .redisUri("redis-sentinel://127.0.0.1:" + sentinelPort + "#main")
                    .build())) {
                surface.start();
                Await.healthUp(surface);

                TenantId tenant = TenantId.of("sentinel");
                SessionId id = result(surface.sessions().create(tenant, "alice", Map.of())).session().id();

                assertEquals(1, result(surface.sessionState().write(tenant, id, "{\"via\":\"sentinel\"}", 0)).version());
                assertEquals("sentinel", surface.health().details().get("mode"));
                assertEquals("1", master.command("EXISTS", new KeyLayout("rp").sessionHash(tenant, id)));
            } finally {
                sentinel.destroy();
                sentinel.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process startSentinel(int port, int masterPort) throws IOException {
        Path config = directory.resolve("sentinel.conf");
        Files.writeString(config, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "daemonize no",
                "sentinel monitor main 127.0.0.1 " + masterPort + " 1",
                ""));
        Process sentinel = new ProcessBuilder("redis-server", config.toString(), "--sentinel")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("sentinel.log").toFile())
                .start();
        Await.until("Sentinel listens on port " + port, Await.LIMIT, () -> listens(port));
        return sentinel;
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
