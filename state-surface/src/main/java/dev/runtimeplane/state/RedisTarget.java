package dev.runtimeplane.state;

import dev.runtimeplane.core.error.InvalidArgumentException;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where Redis is and how to talk to it, parsed from one URI whose scheme picks the mode:
 * {@code redis(s)://} standalone, {@code redis(s)-sentinel://} Sentinel (parsed by Lettuce),
 * {@code redis(s)-cluster://} Cluster with comma-separated seed nodes (our convention: Lettuce has
 * no cluster scheme, so each seed becomes its own {@code redis(s)://} URI).
 *
 * @param mode    the connection mode
 * @param uris    one URI (standalone, Sentinel) or the cluster's seed nodes
 * @param display the target without credentials, for logs and health details
 */
record RedisTarget(Mode mode, List<RedisURI> uris, String display) {

    enum Mode { STANDALONE, SENTINEL, CLUSTER }

    private static final String CLUSTER_SUFFIX = "-cluster";

    static RedisTarget parse(String uri, Duration timeout) {
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0) {
            throw invalid(uri, "it has no scheme");
        }
        String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        try {
            return switch (scheme) {
                case "redis", "rediss" -> single(Mode.STANDALONE, uri, timeout);
                case "redis-sentinel", "rediss-sentinel" -> single(Mode.SENTINEL, uri, timeout);
                case "redis-cluster", "rediss-cluster" ->
                        cluster(scheme.substring(0, scheme.length() - CLUSTER_SUFFIX.length()),
                                uri.substring(schemeEnd + 3), timeout);
                default -> throw invalid(uri, "the scheme must be redis, rediss, redis-sentinel, rediss-sentinel,"
                        + " redis-cluster or rediss-cluster");
            };
        } catch (IllegalArgumentException e) {
            throw invalid(uri, e.getMessage());
        }
    }

    private static RedisTarget single(Mode mode, String uri, Duration timeout) {
        RedisURI parsed = withTimeout(RedisURI.create(uri), timeout);
        String where = mode == Mode.SENTINEL
                ? parsed.getSentinels().stream().map(RedisTarget::hostAndPort).collect(Collectors.joining(","))
                        + " master " + parsed.getSentinelMasterId()
                : hostAndPort(parsed);
        return new RedisTarget(mode, List.of(parsed), mode.name().toLowerCase(Locale.ROOT) + " " + where);
    }

    /** {@code [user:password@]host:port[,host:port...][/database][?options]} after the scheme. */
    private static RedisTarget cluster(String baseScheme, String rest, Duration timeout) {
        int authorityEnd = indexOfAny(rest, "/?#");
        String authority = rest.substring(0, authorityEnd);
        String tail = rest.substring(authorityEnd);
        int at = authority.lastIndexOf('@');
        String userInfo = authority.substring(0, at + 1);
        List<RedisURI> seeds = new ArrayList<>();
        for (String host : authority.substring(at + 1).split(",")) {
            if (host.isBlank()) {
                throw new IllegalArgumentException("a cluster seed node is empty");
            }
            seeds.add(withTimeout(RedisURI.create(baseScheme + "://" + userInfo + host.strip() + tail), timeout));
        }
        String display = "cluster " + seeds.stream().map(RedisTarget::hostAndPort).collect(Collectors.joining(","));
        return new RedisTarget(Mode.CLUSTER, List.copyOf(seeds), display);
    }

    private static RedisURI withTimeout(RedisURI uri, Duration timeout) {
        uri.setTimeout(timeout);
        return uri;
    }

    private static String hostAndPort(RedisURI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    private static InvalidArgumentException invalid(String uri, String why) {
        return new InvalidArgumentException("redisUri", "redisUri " + redacted(uri) + " is not usable: " + why);
    }

    /** The URI with any password replaced, so that error messages never carry it. */
    private static String redacted(String uri) {
        return uri.replaceAll("//[^/@]*@", "//***@");
    }
}
