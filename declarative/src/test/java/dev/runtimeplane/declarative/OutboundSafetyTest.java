package dev.runtimeplane.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.declarative.TestService.Reply;
import dev.runtimeplane.saga.CancellationSignal;
import dev.runtimeplane.saga.StepContext;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbound allow-list on real sockets: endpoints, resolved addresses, redirects; secrets never leak into errors. */
class OutboundSafetyTest {

    private TestService service;
    private TestService elsewhere;

    @BeforeEach
    void start() throws Exception {
        service = new TestService(request -> Reply.json(200, "{\"ok\":true}"));
        elsewhere = new TestService(request -> Reply.json(200, "{\"ok\":true}"));
    }

    @AfterEach
    void stop() {
        service.close();
        elsewhere.close();
    }

    private static OutboundHttpClient.Request get(String url) {
        return new OutboundHttpClient.Request("GET", URI.create(url), Map.of(), null);
    }

    @Test
    void anAllowedLiteralAddressIsReached() throws Exception {
        try (OutboundHttpClient client = new OutboundHttpClient(Definitions.allowing(service.url()).build())) {
            assertEquals(200, client.execute(get(service.url() + "/x"), Duration.ofSeconds(5)).status());
        }
        assertEquals(1, service.requests().size());
    }

    @Test
    void aLiteralAddressNotOnTheListIsRefusedBeforeConnecting() {
        try (OutboundHttpClient client = new OutboundHttpClient(Definitions.allowing(service.url()).build())) {
            ForbiddenAddressException e = assertThrows(ForbiddenAddressException.class,
                    () -> client.execute(get(elsewhere.url() + "/x"), Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("not on the outbound allow-list"), e.getMessage());
        }
        assertEquals(0, elsewhere.requests().size());
    }

    @Test
    void aNameThatResolvesToAForbiddenAddressIsRefused() {
        // localhost is allowed by name, but it resolves to a loopback address that is not itself allowed.
        String byName = "http://localhost:" + service.port();
        try (OutboundHttpClient client = new OutboundHttpClient(Definitions.allowing(byName, elsewhere.url()).build())) {
            ForbiddenAddressException e = assertThrows(ForbiddenAddressException.class,
                    () -> client.execute(get(byName + "/x"), Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("does not permit"), e.getMessage());
        }
        assertEquals(0, service.requests().size());
        // The same name is reached once the address it resolves to is allowed too.
        try (OutboundHttpClient client = new OutboundHttpClient(Definitions.allowing(byName, service.url())
                .allow("http://[::1]:" + service.port()).build())) {
            assertEquals(200, assertDoesNotThrow(() -> client.execute(get(byName + "/x"), Duration.ofSeconds(5))).status());
        }
    }

    @Test
    void aRedirectIsNotFollowedAndFailsTheStepAtOnce() {
        service.otherwise(request -> new Reply(302, Map.of("Location", elsewhere.url() + "/moved"), ""));
        OutboundPolicy policy = Definitions.allowing(service.url(), elsewhere.url()).build();
        IntentDefinition definition = new DefinitionParser(policy).parse("redirect.json", """
                {"intentType": "probe", "version": 1,
                 "steps": [{"name": "look", "action": {"method": "GET", "url": "%s/start",
                            "headers": {"Authorization": {"secret": "TOKEN"}}}}]}
                """.formatted(service.url())).definition();
        try (OutboundHttpClient client = new OutboundHttpClient(policy)) {
            HttpStepRunner runner = new HttpStepRunner(client, policy, name -> Optional.of("hush-42"),
                    SessionMetadataSource.NONE);
            HttpStepException.Permanent e = assertThrows(HttpStepException.Permanent.class,
                    () -> runner.run(definition.steps().getFirst().action(), Duration.ofSeconds(5), context()));
            assertTrue(e.getMessage().contains("answered 302") && e.getMessage().contains("not followed"), e.getMessage());
        }
        assertEquals(1, service.requests().size());
        assertEquals("hush-42", service.requests().getFirst().header("Authorization"));
        assertEquals(0, elsewhere.requests().size(), "the redirect's target was never called");
    }

    @Test
    void aSecretEchoedInAnErrorIsMasked() {
        service.otherwise(request -> Reply.json(401, "{\"error\":\"bad token " + request.header("Authorization") + "\"}"));
        OutboundPolicy policy = Definitions.allowing(service.url()).build();
        IntentDefinition definition = new DefinitionParser(policy).parse("secret.json", """
                {"intentType": "probe", "version": 1,
                 "steps": [{"name": "look", "action": {"method": "GET", "url": "%s/me",
                            "headers": {"Authorization": {"secret": "TOKEN", "prefix": "Bearer "}}}}]}
                """.formatted(service.url())).definition();
        try (OutboundHttpClient client = new OutboundHttpClient(policy)) {
            HttpStepRunner runner = new HttpStepRunner(client, policy, name -> Optional.of("hush-42"),
                    SessionMetadataSource.NONE);
            HttpStepException.Permanent e = assertThrows(HttpStepException.Permanent.class,
                    () -> runner.run(definition.steps().getFirst().action(), Duration.ofSeconds(5), context()));
            assertTrue(e.getMessage().contains("answered 401: {\"error\":\"bad token Bearer ***\"}"), e.getMessage());
            HttpStepRunner unset = new HttpStepRunner(client, policy, name -> Optional.empty(), SessionMetadataSource.NONE);
            HttpStepException.Permanent missing = assertThrows(HttpStepException.Permanent.class,
                    () -> unset.run(definition.steps().getFirst().action(), Duration.ofSeconds(5), context()));
            assertEquals("secret TOKEN (header Authorization) is not set", missing.getMessage());
        }
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> call) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(call);
    }

    private static StepContext context() {
        return new StepContext(TenantId.of("t"), SessionId.of("s"), ExecutionId.of("e-1"), "look", "{}", Map.of(),
                "e-1:look", 1, false, new CancellationSignal(), 7);
    }
}
