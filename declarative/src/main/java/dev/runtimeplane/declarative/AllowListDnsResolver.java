package dev.runtimeplane.declarative;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's resolver: resolves a host once, keeps only the addresses the {@link OutboundPolicy}
 * permits, and hands exactly those to the connection operator, which connects to them and to nothing
 * else. A name that changes its answer between a check and the connect (DNS rebinding) therefore cannot
 * lead anywhere unchecked: there is no second look-up.
 */
final class AllowListDnsResolver implements DnsResolver {

    private final OutboundPolicy policy;

    AllowListDnsResolver(OutboundPolicy policy) {
        this.policy = policy;
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        List<InetSocketAddress> permitted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (policy.permitsAddress(address, port)) {
                permitted.add(new InetSocketAddress(address, port));
            } else {
                refused.add(address.getHostAddress());
            }
        }
        if (permitted.isEmpty()) {
            throw new ForbiddenAddressException(host + ":" + port + " resolves to " + String.join(", ", refused)
                    + ", which the outbound allow-list does not permit (loopback, link-local, private or reserved"
                    + " addresses must be allowed explicitly)");
        }
        return permitted;
    }

    /** Only used by code paths that know no port: an address is kept if it is permitted on any allowed port. */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] permitted = Arrays.stream(InetAddress.getAllByName(host))
                .filter(address -> policy.allowed().stream()
                        .anyMatch(endpoint -> policy.permitsAddress(address, endpoint.port())))
                .toArray(InetAddress[]::new);
        if (permitted.length == 0) {
            throw new ForbiddenAddressException(host + " resolves only to addresses the outbound allow-list does not permit");
        }
        return permitted;
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
