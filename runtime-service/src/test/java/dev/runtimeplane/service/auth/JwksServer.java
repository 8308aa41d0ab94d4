package dev.runtimeplane.service.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test identity provider: a real HTTP server (JDK HttpServer) serving a JWKS that a test can rotate, and RSA
 * keys (nimbus-jose-jwt) that sign tokens; a key can sign without being published, like an attacker's.
 */
public final class JwksServer implements AutoCloseable {

    public static final String ISSUER = "https://idp.test";
    public static final String AUDIENCE = "runtime-plane";

    private final HttpServer server;
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();

    public JwksServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(published.stream().map(key -> (com.nimbusds.jose.jwk.JWK) key.toPublicJWK()).toList())
                    .toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    int fetches() {
        return fetches.get();
    }

    public static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public void publish(RSAKey key) {
        published.add(key);
    }

    /** A token for {@code tenant} valid from a minute ago for an hour, with the expected iss and aud. */
    public static JWTClaimsSet.Builder claims(String tenant) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("user-1").issuer(ISSUER).audience(AUDIENCE)
                .issueTime(java.util.Date.from(now.minusSeconds(60))).notBeforeTime(java.util.Date.from(now.minusSeconds(60)))
                .expirationTime(java.util.Date.from(now.plusSeconds(3600))).claim("tenant", tenant);
    }

    public static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
