package dev.runtimeplane.core.id;

import dev.runtimeplane.core.error.InvalidArgumentException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Validation and generation shared by the typed ids.
 *
 * <p>An id is 1 to 64 characters from {@code [A-Za-z0-9_-]}, starting with a letter or digit. That
 * alphabet is safe inside a Redis key (no {@code :}, no hash-tag braces, no spaces) and inside a URL
 * path segment without escaping. Generated ids are 128 bits from a CSPRNG as 32 lower-case hex digits
 * (hex rather than base64url so that a generated id never starts with '-' or '_').
 */
public final class Ids {

    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    /** Returns {@code value} when it is a valid id; otherwise throws naming {@code field}. */
    public static String requireValid(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException(field, field + " is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidArgumentException(field,
                    field + " is " + value.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        if (!VALID.matcher(value).matches()) {
            throw new InvalidArgumentException(field,
                    field + " may contain only letters, digits, '-' and '_', and must start with a letter or digit");
        }
        return value;
    }

    /** A new id of 128 random bits. */
    public static String random() {
        byte[] buffer = new byte[16];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }

    /** {@code bytes} random bytes from the CSPRNG, base64url without padding. */
    public static String randomToken(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return BASE64URL.encodeToString(buffer);
    }
}
