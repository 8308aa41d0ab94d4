package dev.runtimeplane.service.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The test definitions of {@code src/test/resources/definitions}, with the services' addresses filled in. */
public final class Definitions {

    private Definitions() {
    }

    /** The order flow (reserve, charge, ship) calling {@code stock}, {@code payments} and {@code shipping}. */
    public static String orderFlow(String stock, String payments, String shipping) {
        return resource("order-flow.yaml").replace("${STOCK}", stock).replace("${PAYMENTS}", payments)
                .replace("${SHIPPING}", shipping);
    }

    public static String resource(String name) {
        try (InputStream in = Definitions.class.getResourceAsStream("/definitions/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test definition " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hex SHA-256, as {@code runtime.admin.token-sha256} wants the admin token. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
