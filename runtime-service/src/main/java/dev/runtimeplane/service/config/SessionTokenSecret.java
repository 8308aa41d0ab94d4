package dev.runtimeplane.service.config;

import dev.runtimeplane.state.StateSurfaceOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret tokens of sessions created under an Idempotency-Key are derived with, read from
 * {@code runtime.sessions.token-secret-file} (its bytes, a trailing newline dropped). Read once at start;
 * never logged.
 */
public final class SessionTokenSecret {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTokenSecret.class);

    private SessionTokenSecret() {
    }

    /** The configured secret, or empty (the state surface then makes a random one for this process). */
    public static Optional<byte[]> read(String file) {
        if (file == null || file.isBlank()) {
            LOG.warn("runtime.sessions.token-secret-file is not set: a session create retried with its Idempotency-Key "
                    + "gets its token back only from this process; give every replica the same secret file");
            return Optional.empty();
        }
        try {
            String secret = Files.readString(Path.of(file.strip())).stripTrailing();
            if (secret.length() < StateSurfaceOptions.MIN_SESSION_TOKEN_SECRET_BYTES) {
                throw new IllegalStateException("the session token secret in " + file + " must have at least "
                        + StateSurfaceOptions.MIN_SESSION_TOKEN_SECRET_BYTES + " characters (e.g. openssl rand -base64 48)");
            }
            return Optional.of(secret.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the session token secret file " + file, e);
        }
    }
}
