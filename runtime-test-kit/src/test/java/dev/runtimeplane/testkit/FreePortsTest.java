package dev.runtimeplane.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void portsAreBindableDistinctAndBelowTheEphemeralRange() throws IOException {
        int ephemeralLow = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .getFirst().trim().split("\\s+")[0]);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.any();
            assertTrue(port < ephemeralLow, port + " is in the ephemeral range from " + ephemeralLow);
            try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, bound.getLocalPort());
            }
            ports.add(port);
        }
        assertEquals(200, ports.size(), "a port was handed out twice");
        int node = FreePorts.withClusterBus();
        assertTrue(node + 10_000 < ephemeralLow, "the cluster bus port " + (node + 10_000) + " is ephemeral");
    }
}
