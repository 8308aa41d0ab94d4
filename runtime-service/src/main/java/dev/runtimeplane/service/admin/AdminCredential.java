package dev.runtimeplane.service.admin;

import dev.runtimeplane.service.config.RuntimeConfiguration;
import io.micronaut.context.annotation.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The admin API's bearer token, known only as its SHA-256: configured as the hash
 * ({@code runtime.admin.token-sha256}) or read from a file ({@code runtime.admin.token-file}) and hashed at
 * start. A presented token is hashed and compared in constant time; the token is never logged. With
 * neither configured the admin API is disabled (503), never open. Built at start, so a bad setting stops
 * the start rather than the first request.
 */
@Context
public class AdminCredential {

    private static final String SCHEME = "bearer ";
    static final String CONFIGURE = "admin API disabled: configure runtime.admin.token-sha256 "
            + "(RUNTIME_ADMIN_TOKEN_SHA256, the hex SHA-256 of the token) or runtime.admin.token-file "
            + "(RUNTIME_ADMIN_TOKEN_FILE, a file holding the token)";

    private final byte[] expected;

    public AdminCredential(RuntimeConfiguration.Admin admin) {
        String hash = admin.getTokenSha256() == null ? "" : admin.getTokenSha256().trim();
        String file = admin.getTokenFile() == null ? "" : admin.getTokenFile().trim();
        if (!hash.isEmpty() && !file.isEmpty()) {
            throw new IllegalArgumentException("runtime.admin.token-sha256 and runtime.admin.token-file are both set; set one");
        }
        if (!hash.isEmpty()) {
            if (!hash.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("runtime.admin.token-sha256 must be 64 hex digits (a SHA-256)");
            }
            expected = HexFormat.of().parseHex(hash.toLowerCase(Locale.ROOT));
        } else if (!file.isEmpty()) {
            expected = sha256(readToken(Path.of(file)));
        } else {
            expected = null;
        }
    }

    public boolean enabled() {
        return expected != null;
    }

    /** Passes when {@code authorization} is {@code Bearer <the admin token>} (scheme in any case); throws otherwise. */
    public void require(String authorization) {
        if (expected == null) {
            throw AdminAccessDenied.disabled(CONFIGURE);
        }
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw AdminAccessDenied.unauthenticated("the admin API needs Authorization: Bearer <admin token>");
        }
        String token = authorization.substring(SCHEME.length()).trim();
        if (!MessageDigest.isEqual(sha256(token), expected)) {
            throw AdminAccessDenied.unauthenticated("the admin token is not valid");
        }
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the admin token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("the admin token file " + file + " cannot be read", e);
        }
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
