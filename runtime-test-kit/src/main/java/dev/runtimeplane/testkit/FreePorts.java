package dev.runtimeplane.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds loopback ports that nothing listens on, for a server a test starts a moment later.
 *
 * <p>The ports come from below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}): a port the
 * OS picks for {@code bind(0)} comes from that range, and so does the source port of every outgoing connection,
 * so between the pick and the server's bind another process's Redis or HTTP connection could take it (a service
 * process then failed to start with "Address already in use"). Each port is handed out once per JVM, so two
 * servers of one test never get the same one.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final int CLUSTER_BUS_OFFSET = 10_000;
    private static final int EPHEMERAL_LOW = ephemeralLow();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port free right now that no outgoing connection will take. */
    public static int any() {
        return pick(0);
    }

    /**
     * A free port whose companion {@code port + 10000} is free too: a Redis Cluster node listens on
     * both (the second is its cluster bus).
     */
    static int withClusterBus() {
        return pick(CLUSTER_BUS_OFFSET);
    }

    /** A free port, not handed out before, whose {@code port + companionOffset} (when not 0) is free too. */
    private static int pick(int companionOffset) {
        int highest = EPHEMERAL_LOW - 1 - companionOffset;
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (isFree(port) && (companionOffset == 0 || isFree(port + companionOffset)) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("found no free port from " + LOWEST + " to " + highest);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range; Linux's default 32768 where it cannot be read. */
    private static int ephemeralLow() {
        int low = 32_768;
        try {
            // readAllLines, not readString: a /proc file reports no size, and readString read one byte of it here
            low = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst()
                    .trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: keep the default
        }
        if (low - LOWEST <= CLUSTER_BUS_OFFSET + 1_000) {
            throw new IllegalStateException("the ephemeral port range starts at " + low + ", leaving too few ports "
                    + "above " + LOWEST + " for test servers (net.ipv4.ip_local_port_range)");
        }
        return low;
    }
}
