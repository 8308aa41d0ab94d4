package dev.runtimeplane.declarative;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * A scheme, host and port that outbound calls may go to. The host is a name or an IP literal; a literal
 * also allows that address when a name resolves to it (see {@link OutboundPolicy}).
 */
public record Endpoint(String scheme, String host, int port) {

    public Endpoint {
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = host.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("only http and https endpoints are supported, not " + scheme);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
    }

    /** {@code http://host:port} (the port defaults to the scheme's). */
    public static Endpoint parse(String text) {
        URI uri = URI.create(text);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' is not scheme://host[:port]");
        }
        return of(uri);
    }

    static Endpoint of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(scheme) ? 443 : 80;
        return new Endpoint(scheme, uri.getHost(), port);
    }

    /** The host as an address when it is an IP literal. */
    public Optional<InetAddress> literalAddress() {
        try {
            return Optional.of(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException notALiteral) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
