package dev.runtimeplane.declarative;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The test definitions under {@code src/test/resources/definitions}, with the services' URLs filled in. */
final class Definitions {

    static final String STOCK = "http://127.0.0.1:18081";
    static final String PAYMENTS = "http://127.0.0.1:18082";
    static final String SHIPPING = "http://127.0.0.1:18083";

    private Definitions() {
    }

    static String orderFlow(String stock, String payments, String shipping) {
        return resource("order-flow.yaml").replace("${STOCK}", stock).replace("${PAYMENTS}", payments)
                .replace("${SHIPPING}", shipping);
    }

    static String orderFlow() {
        return orderFlow(STOCK, PAYMENTS, SHIPPING);
    }

    static OutboundPolicy.Builder allowing(String... urls) {
        OutboundPolicy.Builder policy = OutboundPolicy.builder();
        for (String url : urls) {
            policy.allow(url);
        }
        return policy;
    }

    static OutboundPolicy defaultPolicy() {
        return allowing(STOCK, PAYMENTS, SHIPPING).build();
    }

    private static String resource(String name) {
        try (InputStream in = Definitions.class.getResourceAsStream("/definitions/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
