package dev.runtimeplane.declarative;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where HTTP steps may call and how patiently. A call is allowed when its scheme, host and port are on the
 * allow-list, and then only to addresses that are not loopback, link-local, private (site-local, unique
 * local, carrier-grade NAT), wildcard, multicast or reserved, unless that very address is on the allow-list as
 * an IP literal with the same port. The address check is made on the addresses the name resolved to
 * and the connection goes to exactly those (see {@link AllowListDnsResolver}). Redirects are never followed.
 */
public final class OutboundPolicy {

    private final Set<Endpoint> allowed;
    private final Duration connectTimeout;
    private final int maxResponseBytes;
    private final int maxResultBytes;
    private final int maxConnections;

    private OutboundPolicy(Builder builder) {
        this.allowed = Set.copyOf(builder.allowed);
        this.connectTimeout = builder.connectTimeout;
        this.maxResponseBytes = builder.maxResponseBytes;
        this.maxResultBytes = builder.maxResultBytes;
        this.maxConnections = builder.maxConnections;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<Endpoint> allowed() {
        return allowed;
    }

    /** Whether a call to this scheme, host and port may be made at all. */
    public boolean permits(Endpoint endpoint) {
        return allowed.contains(endpoint);
    }

    /**
     * Whether {@code address}, one that a host resolved to, may be connected to on {@code port}: a public
     * address always, a special-purpose one only when that address is itself allowed (as an IP literal) on
     * that port.
     */
    public boolean permitsAddress(InetAddress address, int port) {
        if (!isSpecialPurpose(address)) {
            return true;
        }
        return allowed.stream().anyMatch(endpoint -> endpoint.port() == port
                && endpoint.literalAddress().filter(address::equals).isPresent());
    }

    /** Bound on establishing a connection (each attempt's response is bounded by the step's timeout). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Bound on a response body; a longer one fails the attempt. */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /** Bound on a step's recorded result (the response body, or the part the step selects). */
    public int maxResultBytes() {
        return maxResultBytes;
    }

    public int maxConnections() {
        return maxConnections;
    }

    static boolean isSpecialPurpose(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc;                          // fc00::/7 unique local
        }
        return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64     // 100.64.0.0/10 carrier-grade NAT
                || (bytes[0] & 0xff) == 0                               // 0.0.0.0/8 "this network"
                || (bytes[0] & 0xff) >= 240;                            // reserved and broadcast
    }

    public static final class Builder {
        private final Set<Endpoint> allowed = new LinkedHashSet<>();
        private Duration connectTimeout = Duration.ofSeconds(2);
        private int maxResponseBytes = 1 << 20;
        private int maxResultBytes = 32 * 1024;
        private int maxConnections = 64;

        private Builder() {
        }

        /** Allows {@code scheme://host:port}, e.g. {@code https://payments.internal:8443}. */
        public Builder allow(String endpoint) {
            allowed.add(Endpoint.parse(endpoint));
            return this;
        }

        public Builder allow(Endpoint endpoint) {
            allowed.add(endpoint);
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive");
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder maxResponseBytes(int maxResponseBytes) {
            this.maxResponseBytes = requirePositive("maxResponseBytes", maxResponseBytes);
            return this;
        }

        /** Keep it at or below the coordinator's {@code maxResultBytes}. */
        public Builder maxResultBytes(int maxResultBytes) {
            this.maxResultBytes = requirePositive("maxResultBytes", maxResultBytes);
            return this;
        }

        /** Bound on open connections; a call waits for one at most its step's timeout. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = requirePositive("maxConnections", maxConnections);
            return this;
        }

        public OutboundPolicy build() {
            return new OutboundPolicy(this);
        }

        private static int requirePositive(String field, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(field + " must be positive, was " + value);
            }
            return value;
        }
    }
}
