package dev.runtimeplane.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which resolved addresses the allow-list lets a call connect to. */
class OutboundPolicyTest {

    private static InetAddress address(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void specialPurposeAddressesAreRefusedUnlessListedOnThatPort() {
        OutboundPolicy policy = OutboundPolicy.builder().allow("http://payments.internal:8080")
                .allow("http://10.0.0.5:8080").allow("http://[::1]:9000").build();
        for (String refused : new String[] {"127.0.0.1", "10.0.0.6", "172.16.3.4", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fd00::1"}) {
            assertFalse(policy.permitsAddress(address(refused), 8080), refused);
        }
        assertTrue(policy.permitsAddress(address("10.0.0.5"), 8080), "listed as a literal");
        assertFalse(policy.permitsAddress(address("10.0.0.5"), 8081), "but only on its port");
        assertTrue(policy.permitsAddress(address("0:0:0:0:0:0:0:1"), 9000), "IPv6 literals compare as addresses");
        assertTrue(policy.permitsAddress(address("93.184.215.14"), 8080), "a public address");
        assertTrue(policy.permits(Endpoint.parse("HTTP://Payments.Internal:8080")));
        assertFalse(policy.permits(Endpoint.parse("https://payments.internal:8080")), "the scheme counts");
        assertEquals(Endpoint.parse("http://payments.internal:80"), Endpoint.parse("http://payments.internal"));
    }
}
